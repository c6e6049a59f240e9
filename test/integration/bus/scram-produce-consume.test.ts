import { randomUUID } from 'node:crypto';
import { createKafka, asPrincipal, createTopicsWhenReadable } from '@passport/bus';
import { TOPICS } from '@passport/config';
import {
  CompressionTypes,
  logLevel,
  Partitioners,
  type Consumer,
  type Kafka,
  type KafkaMessage,
} from 'kafkajs';
import { adminConnection, agencyConnection, uniqueName } from '../../support/cluster';

function quiet(kafkaFor: ReturnType<typeof adminConnection>, clientId: string): Kafka {
  return createKafka(kafkaFor, { clientId, logLevel: logLevel.NOTHING, retries: 2 });
}

/** Consumes from the beginning until a message with `key` arrives, then stops the consumer. */
async function consumeUntilKey(consumer: Consumer, topic: string, key: string): Promise<KafkaMessage> {
  await consumer.subscribe({ topic, fromBeginning: true });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no message with key ${key} on ${topic} within 30 s`)),
      30_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === key) {
          clearTimeout(timer);
          resolvePromise(message);
        }
      },
    });
  });
}

describe('SASL/SCRAM produce and consume with kafkajs', () => {
  it('an idempotent admin producer and a consumer group round-trip a message on a fresh topic', async () => {
    const kafka = quiet(adminConnection(), uniqueName('roundtrip'));
    const topic = uniqueName('test.roundtrip');
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: uniqueName('test.group') });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      await createTopicsWhenReadable(admin, [{ topic, numPartitions: 3 }]);
      const key = randomUUID();
      const [sent] = await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: [{ key, value: 'hello', headers: { ce_type: 'test.roundtrip' } }],
      });
      expect(sent?.errorCode).toBe(0);
      const received = await consumeUntilKey(consumer, topic, key);
      expect(received.value?.toString()).toBe('hello');
      expect(received.headers?.ce_type?.toString()).toBe('test.roundtrip');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('one agency publishes a request and another reads it through its own consumer group', async () => {
    const bwi = quiet(agencyConnection('bwi'), 'bwi.test-producer');
    const aura = quiet(agencyConnection('aura'), 'aura.test-consumer');
    const producer = bwi.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = aura.consumer({ groupId: uniqueName('aura.it') });
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      const requestId = randomUUID();
      await producer.send({
        topic: TOPICS.cooperationRequests,
        acks: -1,
        messages: [{ key: requestId, value: 'scram-check' }],
      });
      const received = await consumeUntilKey(consumer, TOPICS.cooperationRequests, requestId);
      expect(received.value?.toString()).toBe('scram-check');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('a wrong password is refused at authentication', async () => {
    const impostor = quiet(asPrincipal(adminConnection(), 'bwi', 'not-the-password-at-all'), 'impostor');
    const producer = impostor.producer();
    await expect(producer.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await producer.disconnect();
  });
});
