import { randomUUID } from 'node:crypto';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import { EventCodec, headerText, REGISTRY_AVRO_OPTIONS, type EventTopic } from '@passport/events';
import { logLevel, type Consumer, type Producer, type ProducerBatch } from 'kafkajs';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { emit, handlerDeps } from '@passport/agency-service/handlers/deps';
import { consumeBatch, type BatchDeps } from '@passport/agency-service/kafka/event-consumer';
import { OutboxRelay } from '@passport/agency-service/kafka/outbox-relay';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { createMetrics } from '@passport/agency-service/metrics';
import { unpublished } from '@passport/agency-service/store/outbox';
import { publicationHealth } from '@passport/agency-service/store/outbox-confirmation';
import { eventually } from '../../../support/agency-system';
import { adminConnection, uniqueName } from '../../../support/cluster';
import type { AgencyKeys } from '@passport/trust';
import { testTrust } from '../../../support/test-trust';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as Agency;
const CONFIRM_TIMEOUT_MS = 2_000;

/**
 * What kafkajs did on a cluster losing a broker (kafkajs issue 1303): the send resolves, the records
 * never reach the log. The first batch is acknowledged and dropped; the later ones really go out.
 */
function producerLosingFirstSend(real: Producer) {
  const sends: string[][] = [];
  const producer = {
    sendBatch: async (batch: ProducerBatch) => {
      const ids = (batch.topicMessages ?? []).flatMap((t) =>
        t.messages.map((m) => headerText(m.headers as never, 'ce_id') ?? ''),
      );
      sends.push(ids);
      return sends.length === 1 ? [] : real.sendBatch(batch);
    },
  } as unknown as Producer;
  return { producer, sends };
}

describe('the outbox relay on the real broker when a send is acknowledged but lost', () => {
  let db: Database;
  let real: Producer;
  let consumer: Consumer;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    const kafka = createKafka(adminConnection(), {
      clientId: uniqueName('outbox-relay-it'),
      logLevel: logLevel.NOTHING,
    });
    real = kafka.producer({ idempotent: true });
    consumer = kafka.consumer({ groupId: uniqueName('bwi.outbox-relay-it'), maxWaitTimeInMs: 50 });
    await Promise.all([real.connect(), consumer.connect()]);
    db = openSqlite(':memory:');
    await migrate(db);
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer.disconnect();
    await real.disconnect();
    await db.close();
  });

  it('finds the event missing from the topic, sends it again and confirms it when it reads it back', async () => {
    const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
    const metrics = createMetrics('bwi');
    const logger = pino({ level: 'silent' });
    const trust = await testTrust();
    const deps: BatchDeps = {
      db,
      agency: bwi,
      codec,
      trustList: trust.trustList,
      logger,
      metrics,
      consumerGroup: 'bwi.outbox-relay-it',
      handlerTimeoutMs: 10_000,
      matcher: new Matcher({ mode: 'review', topN: 5, threshold: 0.5 }),
      candidateRefs: new CandidateRefs('bwi', 'a-test-secret-of-at-least-32-characters'),
      webhooks: false,
      afterApply: () => undefined,
    };
    const seenOnTopic: string[] = [];
    const joined = new Promise<void>((resolveJoin) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolveJoin()),
    );
    await consumer.subscribe({ topics: [TOPICS.cooperationRequests], fromBeginning: false });
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages)
          seenOnTopic.push(headerText(message.headers as never, 'ce_id') ?? '');
        await consumeBatch(deps, batch.topic as EventTopic, batch.partition, batch.messages, {
          resolveOffset,
          heartbeat,
          shouldStop: () => !isRunning() || isStale(),
        });
      },
    });
    await joined;

    const requestId = randomUUID();
    const { eventId } = await db.transaction((tx) =>
      emit(handlerDeps(tx, bwi), requestId, {
        type: 'CooperationRequestClosed',
        payload: { reason: 'WITHDRAWN', note: null },
      }),
    );
    const { producer, sends } = producerLosingFirstSend(real);
    relay = new OutboxRelay({
      db,
      producer,
      codec,
      signer: trust.keys.bwi as AgencyKeys,
      logger,
      metrics,
      pollMs: 50,
      confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    });
    relay.start();

    await eventually(async () => (sends.length === 1 ? true : undefined), 'the first, lost send');
    // Acknowledged, marked published, yet never seen: still unconfirmed until the timeout.
    await new Promise((r) => setTimeout(r, CONFIRM_TIMEOUT_MS / 2));
    expect(await publicationHealth(db)).toMatchObject({ unconfirmed: 1 });
    expect(seenOnTopic).not.toContain(eventId);

    await eventually(
      async () => ((await publicationHealth(db)).unconfirmed === 0 ? true : undefined),
      'the resent event to be read back and its row confirmed',
    );
    expect(sends).toEqual([[eventId], [eventId]]);
    expect(seenOnTopic.filter((id) => id === eventId)).toEqual([eventId]);
    expect((await metrics.outboxResends.get()).values[0]?.value).toBe(1);
    expect(await unpublished(db, 10)).toEqual([]);

    // Confirmed for good: well past the timeout, nothing is sent again.
    await new Promise((r) => setTimeout(r, 2 * CONFIRM_TIMEOUT_MS));
    expect(sends).toHaveLength(2);
  });
});
