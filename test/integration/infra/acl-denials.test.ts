import { randomUUID } from 'node:crypto';
import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { deadLetterTopicOf, TOPICS } from '@passport/config';
import { logLevel, Partitioners, type Kafka, type ProducerRecord } from 'kafkajs';
import { adminConnection, agencyConnection, uniqueName } from '../../support/cluster';
import { refusedGroupJoin } from '../../support/group-denial';
import { protocolErrorTypes } from '../../support/kafka-errors';

function client(principal: 'admin' | string, clientId: string): Kafka {
  const connection = principal === 'admin' ? adminConnection() : agencyConnection(principal);
  // Authorization errors are not retriable; one retry keeps the test fast when kafkajs retries anyway.
  return createKafka(connection, { clientId, logLevel: logLevel.NOTHING, retries: 1 });
}

/** Sends one message as `principal` and expects the broker to refuse it for lack of a grant. */
async function expectWriteDenied(principal: string, record: ProducerRecord): Promise<void> {
  const producer = client(principal, `${principal}.acl-test`).producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const sendError = await producer.send(record).catch((e: unknown) => e);
    expect(sendError).toBeInstanceOf(Error);
    expect(protocolErrorTypes(sendError)).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
  } finally {
    await producer.disconnect();
  }
}

describe('least-privilege ACLs for agency principals', () => {
  it("an agency cannot consume through another agency's consumer group", async () => {
    const refusal = await refusedGroupJoin(
      agencyConnection('bwi'),
      'bwi.acl-test',
      uniqueName('aura.stolen'),
      TOPICS.cooperationRequests,
    );
    expect(refusal.crash.name).toBe('KafkaJSGroupCoordinatorNotFound');
    // The broker's own answer, which kafkajs logs but does not rethrow.
    expect(refusal.errorTypes).toContain('GROUP_AUTHORIZATION_FAILED');
  });

  it('an agency cannot create or delete topics', async () => {
    const admin = client('bwi', 'bwi.acl-test').admin();
    await admin.connect();
    try {
      const createError = await admin
        .createTopics({ topics: [{ topic: uniqueName('bwi.rogue'), numPartitions: 1 }] })
        .catch((e: unknown) => e);
      expect(protocolErrorTypes(createError)).toContain('TOPIC_AUTHORIZATION_FAILED');
      const deleteError = await admin
        .deleteTopics({ topics: [TOPICS.cooperationRequests], timeout: 5_000 })
        .catch((e: unknown) => e);
      expect(protocolErrorTypes(deleteError)).toContain('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
    // The topic an agency tried to delete is still there for everyone.
    const check = client('admin', 'acl-check').admin();
    await check.connect();
    expect(await check.listTopics()).toContain(TOPICS.cooperationRequests);
    await check.disconnect();
  });

  it('an agency cannot write to a topic it has no grant on', async () => {
    const topic = uniqueName('test.ungranted');
    const admin = client('admin', 'acl-setup').admin();
    await admin.connect();
    await createTopicsWhenReadable(admin, [{ topic, numPartitions: 1 }]);
    try {
      await expectWriteDenied('promos', { topic, acks: -1, messages: [{ key: randomUUID(), value: 'x' }] });
    } finally {
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    }
  });

  it("an agency may write its own dead letters and read them back, but not read another agency's", async () => {
    const kafka = client('accio', 'accio.acl-test');
    const ownTopic = deadLetterTopicOf('accio');
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const marker = randomUUID();
    const [sent] = await producer.send({
      topic: ownTopic,
      acks: -1,
      messages: [{ key: marker, value: 'poison' }],
    });
    expect(sent?.errorCode).toBe(0);
    await producer.disconnect();

    // Its own: read back, as the service does to confirm a dead letter arrived.
    const reader = kafka.consumer({ groupId: uniqueName('accio.dlq-reader'), maxWaitTimeInMs: 100 });
    await reader.connect();
    try {
      await reader.subscribe({ topic: ownTopic, fromBeginning: true });
      let found: (key: string) => void = () => undefined;
      const readBack = new Promise<string>((resolvePromise) => (found = resolvePromise));
      await reader.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === marker) found(marker);
        },
      });
      await expect(readBack).resolves.toBe(marker);
    } finally {
      await reader.disconnect();
    }

    // Another agency's: refused (accio may not even describe it, so subscribing already fails).
    const snooper = kafka.consumer({ groupId: uniqueName('accio.dlq-snooper') });
    await snooper.connect();
    try {
      const refused = await snooper
        .subscribe({ topic: deadLetterTopicOf('bwi'), fromBeginning: true })
        .catch((e: unknown) => e);
      expect(protocolErrorTypes(refused)).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    } finally {
      await snooper.disconnect();
    }
  });

  it("an agency cannot write another agency's dead-letter topic (no forged dead letters)", async () => {
    await expectWriteDenied('promos', {
      topic: deadLetterTopicOf('bwi'),
      acks: -1,
      messages: [
        {
          key: randomUUID(),
          value: 'forged',
          headers: { dlq_consumer_group: 'bwi.exchange', dlq_original_topic: TOPICS.outcomes },
        },
      ],
    });
  });
});
