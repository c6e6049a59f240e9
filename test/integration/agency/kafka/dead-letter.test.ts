import { randomBytes, randomUUID } from 'node:crypto';
import { createKafka } from '@passport/bus';
import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf } from '@passport/config';
import { EventDecodeError } from '@passport/errors';
import { headerText } from '@passport/events';
import { readRange, resolveSpans, type RangeMessage } from '@passport/streams';
import { logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import pino from 'pino';
import { applyTopics } from '@passport/infra/topology/apply-topics';
import { topicDeclarations } from '@passport/infra/topology/topics';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { parkDeadLetter } from '@passport/agency-service/kafka/dead-letter';
import { confirmDeadLetterEchoes } from '@passport/agency-service/kafka/dead-letter-echo';
import { DeadLetterRelay } from '@passport/agency-service/kafka/dead-letter-relay';
import { createMetrics } from '@passport/agency-service/metrics';
import { deadLetterHealth } from '@passport/agency-service/store/dead-letter-outbox';
import { eventually } from '../../../support/agency-system';
import { adminConnection, uniqueName } from '../../../support/cluster';
import { protocolErrorTypes } from '../../../support/kafka-errors';

jest.setTimeout(90_000);

const CONFIRM_TIMEOUT_MS = 2_000;

const poisonAt = (offset: string, value: Buffer, headers: KafkaMessage['headers'] = {}): KafkaMessage => ({
  key: Buffer.from(randomUUID()),
  value,
  headers,
  offset,
  timestamp: String(Date.now()),
  attributes: 0,
});

const parkIn = (db: Database, agencyId: string, message: KafkaMessage) =>
  parkDeadLetter(
    db,
    {
      topic: 'passport.outcomes.v1',
      partition: 2,
      message,
      consumerGroup: `${agencyId}.exchange`,
      error: new EventDecodeError('not Avro'),
    },
    Date.now(),
  );

/**
 * Each test has an agency of its own, so its dead-letter topic (declared as for any agency) is its
 * alone; what the relay sends is read back as the service reads it, to confirm the rows.
 */
describe('dead letters through the relay on the real broker', () => {
  const kafka = createKafka(adminConnection(), { clientId: 'dlq-relay-it', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const topics: string[] = [];
  let db: Database;
  let relay: DeadLetterRelay | undefined;
  let echoReader: Consumer | undefined;

  async function newAgency(): Promise<{ agencyId: string; topic: string }> {
    const agencyId = `t${randomBytes(4).toString('hex')}`;
    const topic = deadLetterTopicOf(agencyId);
    topics.push(topic);
    await applyTopics(
      admin,
      topicDeclarations([{ id: agencyId }]).filter((t) => t.name === topic),
      { replicationFactor: 1, minInsyncReplicas: 1 },
    );
    return { agencyId, topic };
  }

  /** Reads the topic as the service's consumer does, confirming rows; returns the dlq_ids seen. */
  async function readEchoes(topic: string): Promise<string[]> {
    const seen: string[] = [];
    echoReader = kafka.consumer({ groupId: uniqueName('t.dlq-echo-it'), maxWaitTimeInMs: 50 });
    await echoReader.connect();
    await echoReader.subscribe({ topics: [topic], fromBeginning: true });
    await echoReader.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const m of batch.messages) seen.push(headerText(m.headers as never, 'dlq_id') ?? '');
        await confirmDeadLetterEchoes(
          db,
          batch.messages,
          { resolveOffset, heartbeat, shouldStop: () => !isRunning() || isStale() },
          Date.now(),
        );
      },
    });
    return seen;
  }

  function startRelay(agencyId: string, through: Producer = producer) {
    const metrics = createMetrics(agencyId);
    relay = new DeadLetterRelay({
      db,
      producer: through,
      agencyId,
      logger: pino({ level: 'silent' }),
      metrics,
      pollMs: 50,
      confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    });
    relay.start();
    return metrics;
  }

  const confirmedAll = async () => {
    const health = await deadLetterHealth(db);
    return health.backlog === 0 && health.unconfirmed === 0 ? true : undefined;
  };

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });
  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await echoReader?.disconnect();
    echoReader = undefined;
    await db.close();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('are cut to fit, marked dlq_truncated with the size before, produced and confirmed', async () => {
    const { agencyId, topic } = await newAgency();
    // What a partner's compressed batch can unpack to: three times the topic's limit.
    const value: Buffer = Buffer.from(randomBytes(3 * DEAD_LETTER_MAX_MESSAGE_BYTES));
    const poison = poisonAt('41', value, {
      ce_id: Buffer.from('e-1'),
      x_padding: Buffer.alloc(300_000, 0x61),
    });
    const key = poison.key?.toString() as string;

    // The record as it was would be refused: that is what used to stop the consumer.
    const whole = await producer
      .send({ topic, acks: -1, messages: [{ key, value, headers: poison.headers }] })
      .catch((e: unknown) => e);
    expect(protocolErrorTypes(whole)).toContain('MESSAGE_TOO_LARGE');

    expect(await parkIn(db, agencyId, poison)).toBe(true);
    // Read again before its offset was committed (a crash, a rebalance): queued once only.
    expect(await parkIn(db, agencyId, poison)).toBe(false);
    startRelay(agencyId);
    const seen = await readEchoes(topic);
    await eventually(confirmedAll, 'the dead letter to be read back and confirmed');

    const read: RangeMessage[] = [];
    await readRange(kafka, topic, await resolveSpans(admin, topic), (m) => void read.push(m), {
      groupPrefix: 'dlq-size-it',
    });
    expect(read).toHaveLength(1);
    const [letter] = read as [RangeMessage];
    expect(letter.key).toBe(key);
    expect(letter.headers).toMatchObject({
      dlq_truncated: `headers 1 of 2, value ${value.length}`,
      dlq_error_code: 'PASSPORT_EVENT_UNDECODABLE',
      dlq_original_topic: 'passport.outcomes.v1',
      dlq_original_offset: '41',
      ce_id: 'e-1',
    });
    expect(seen).toEqual([letter.headers.dlq_id]);
    expect(letter.headers.x_padding).toHaveLength(1024);
    expect(letter.value?.length).toBeGreaterThan(DEAD_LETTER_MAX_MESSAGE_BYTES / 2);
    expect(letter.value?.equals(value.subarray(0, letter.value.length))).toBe(true);
  });

  it('goes out in sends the topic accepts when several large ones wait together', async () => {
    const { agencyId, topic } = await newAgency();
    // Each fits alone; all five in one batch to one partition would exceed max.message.bytes.
    const values = Array.from({ length: 5 }, () =>
      randomBytes(Math.floor(0.6 * DEAD_LETTER_MAX_MESSAGE_BYTES)),
    );
    const sameKey = Buffer.from(randomUUID());
    for (const [index, value] of values.entries())
      await parkIn(db, agencyId, { ...poisonAt(String(index), value), key: sameKey });
    startRelay(agencyId);
    const seen = await readEchoes(topic);

    await eventually(confirmedAll, 'five dead letters to be read back and confirmed');
    expect(new Set(seen).size).toBe(5);
  });

  it('is sent again when its first send was acknowledged but lost, and confirmed once read back', async () => {
    const { agencyId, topic } = await newAgency();
    const sends: string[][] = [];
    // What kafkajs did on a cluster losing a broker (kafkajs issue 1303): resolved, never in the log.
    const losingFirstSend = {
      send: async (record: Parameters<Producer['send']>[0]) => {
        sends.push(record.messages.map((m) => headerText(m.headers as never, 'dlq_id') ?? ''));
        return sends.length === 1 ? [] : producer.send(record);
      },
    } as unknown as Producer;
    await parkIn(db, agencyId, poisonAt('7', Buffer.from('not Avro')));
    const metrics = startRelay(agencyId, losingFirstSend);
    const seen = await readEchoes(topic);

    await eventually(async () => (sends.length === 1 ? true : undefined), 'the first, lost send');
    await new Promise((r) => setTimeout(r, CONFIRM_TIMEOUT_MS / 2));
    expect(await deadLetterHealth(db)).toMatchObject({ backlog: 0, unconfirmed: 1 });
    expect(seen).toEqual([]);

    await eventually(confirmedAll, 'the resent dead letter to be read back and confirmed');
    const [dlqId] = sends[0] as [string];
    expect(sends).toEqual([[dlqId], [dlqId]]);
    expect(seen).toEqual([dlqId]);
    expect((await metrics.deadLetterResends.get()).values[0]?.value).toBe(1);
    // Confirmed for good: well past the timeout, nothing is sent again.
    await new Promise((r) => setTimeout(r, 2 * CONFIRM_TIMEOUT_MS));
    expect(sends).toHaveLength(2);
  });
});
