import { randomUUID } from 'node:crypto';
import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { logLevel, Partitioners, type Admin, type Kafka } from 'kafkajs';
import { asRowRefusal, isRowRefusal } from '@passport/agency-service/kafka/publish-refusal';
import { adminConnection, agencyConnection, uniqueName } from '../../../support/cluster';

/** What the real broker answers, as kafkajs throws it, read by the relay's rule. */
describe('publish refusals from the real broker', () => {
  let admin: Admin;
  const topic = uniqueName('test.small-messages');

  const producerOf = (kafka: Kafka) =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });

  beforeAll(async () => {
    admin = createKafka(adminConnection(), { clientId: 'refusal-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicsWhenReadable(admin, [
      { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] },
    ]);
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('a message larger than the topic allows is a row refusal, recorded as PASSPORT_MESSAGE_REFUSED', async () => {
    const producer = producerOf(
      createKafka(adminConnection(), { clientId: 'refusal-test', logLevel: logLevel.NOTHING, retries: 8 }),
    );
    await producer.connect();
    try {
      const messages = [
        { key: randomUUID(), value: 'small' },
        { key: randomUUID(), value: 'x'.repeat(5_000) },
      ];
      const error = await producer
        .sendBatch({ acks: -1, topicMessages: [{ topic, messages }] })
        .catch((e) => e);
      expect(isRowRefusal(error)).toBe(true);
      const refusal = asRowRefusal(error, topic);
      expect(refusal.code).toBe('PASSPORT_MESSAGE_REFUSED');
      expect(refusal.details).toMatchObject({ topic, brokerError: 'MESSAGE_TOO_LARGE' });
      // Alone, the small one goes: the refusal was the large message's own.
      await expect(
        producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: [messages[0] as never] }] }),
      ).resolves.toBeDefined();
    } finally {
      await producer.disconnect();
    }
  });

  it('a write the principal is not allowed is no row refusal: the outbox holds and retries', async () => {
    const producer = producerOf(
      createKafka(agencyConnection('promos'), {
        clientId: 'promos.refusal-test',
        logLevel: logLevel.NOTHING,
        retries: 1,
      }),
    );
    await producer.connect();
    try {
      const error = await producer
        .sendBatch({
          acks: -1,
          topicMessages: [{ topic, messages: [{ key: randomUUID(), value: 'small' }] }],
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isRowRefusal(error)).toBe(false);
    } finally {
      await producer.disconnect();
    }
  });
});
