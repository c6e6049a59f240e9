import { eventFromJson, eventToJson } from '@passport/events';
import { KafkaJSConnectionError, KafkaJSProtocolError, type Producer } from 'kafkajs';
import type { Database } from '@passport/agency-service/db/database';
import { createMetrics } from '@passport/agency-service/metrics';
import { queueClosure, relayOnNewDatabase } from '../../../../support/outbox';
import { unpublished } from '@passport/agency-service/store/outbox';
import { listQuarantined, releaseFromQuarantine } from '@passport/agency-service/store/outbox-quarantine';

const request = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

type Batch = { topicMessages: Array<{ messages: Array<{ key: string }> }> };

/** Records the keys of every accepted send; `refuse` decides, per send, what the broker answers. */
function fakeProducer(refuse: (keys: string[]) => Error | undefined) {
  const sent: string[] = [];
  const producer = {
    sendBatch: async ({ topicMessages }: Batch) => {
      const keys = topicMessages.flatMap((t) => t.messages.map((m) => m.key));
      const error = refuse(keys);
      if (error) throw error;
      sent.push(...keys);
      return [];
    },
  } as unknown as Producer;
  return { producer, sent };
}

// What kafkajs throws when a message exceeds the topic's max.message.bytes (seen on the real broker).
const tooLarge = () =>
  new KafkaJSProtocolError({
    type: 'MESSAGE_TOO_LARGE',
    code: 10,
    retriable: false,
    message: 'The request included a message larger than the max message size the server will accept',
  } as never);

async function setUp(refuse: (keys: string[]) => Error | undefined) {
  const { producer, sent } = fakeProducer(refuse);
  const { db, relay, metrics } = await relayOnNewDatabase(producer);
  const queue = (requestId: string, reason: 'WITHDRAWN' | 'FULFILLED' = 'WITHDRAWN') =>
    queueClosure(db, requestId, reason);
  return { db, relay, sent, metrics, queue };
}

/** A row written by a build whose rules were looser: today's contract refuses it when it is encoded. */
async function spoil(db: Database, eventId: string) {
  const [row] = await db.query<{ event: string }>('SELECT event FROM outbox WHERE event_id = ?', [eventId]);
  const event = { ...(eventFromJson(row?.event as string) as object), source: 'atlantis' };
  await db.execute('UPDATE outbox SET event = ? WHERE event_id = ?', [eventToJson(event), eventId]);
}

const gauge = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  Number(
    (await metrics.registry.metrics())
      .split('\n')
      .find((line) => line.startsWith(`${name}{`))
      ?.split(' ')
      .pop(),
  );

describe('an outbox round with a row that can never be published', () => {
  it('quarantines a row the contract refuses, publishes the others and holds only its request', async () => {
    const { db, relay, sent, queue } = await setUp(() => undefined);
    await queue(request(1));
    const poisoned = await queue(request(2));
    await queue(request(3));
    await queue(request(2), 'FULFILLED');
    await spoil(db, poisoned.eventId);

    await relay.publishOnce();
    expect(sent).toEqual([request(1), request(3)]);
    const [quarantined, ...others] = await listQuarantined(db, 10);
    expect(others).toEqual([]);
    expect(quarantined).toMatchObject({
      eventId: poisoned.eventId,
      requestId: request(2),
      eventType: 'CooperationRequestClosed',
      code: 'PASSPORT_EVENT_INVALID',
      message: expect.stringContaining('source'),
      heldBehind: 1,
    });
    // The request's later row waits behind it; nothing else is left.
    expect(await relay.publishOnce()).toBe(0);
    expect((await unpublished(db, 10)).map((row) => row.event.requestId)).toEqual([]);
    await db.close();
  });

  it('finds the row the broker refuses in a batch, quarantines it with its code, and retries it on request', async () => {
    let brokerRefuses = true;
    const { db, relay, sent, metrics, queue } = await setUp((keys) =>
      brokerRefuses && keys.includes(request(2)) ? tooLarge() : undefined,
    );
    await queue(request(1));
    await queue(request(2));
    await queue(request(3));
    await queue(request(2), 'FULFILLED');
    await queue(request(4));

    await relay.publishOnce();
    expect(sent).toEqual([request(1), request(3), request(4)]);
    const [quarantined] = await listQuarantined(db, 10);
    expect(quarantined).toMatchObject({
      requestId: request(2),
      code: 'PASSPORT_MESSAGE_REFUSED',
      heldBehind: 1,
    });
    expect(quarantined?.message).toContain('MESSAGE_TOO_LARGE');

    relay.start();
    await relay.stop();
    expect(await gauge(metrics, 'passport_outbox_quarantined')).toBe(1);
    expect(await gauge(metrics, 'passport_outbox_backlog')).toBe(2);
    expect(await gauge(metrics, 'passport_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);

    // The operator fixed the cause and puts the row back: it goes out, then its request's held row.
    brokerRefuses = false;
    expect(await releaseFromQuarantine(db, quarantined?.id as number)).toBe(true);
    expect(await releaseFromQuarantine(db, quarantined?.id as number)).toBe(false);
    await relay.publishOnce();
    expect(sent).toEqual([request(1), request(3), request(4), request(2), request(2)]);
    expect(await listQuarantined(db, 10)).toEqual([]);
    await db.close();
  });

  it('holds every row, quarantining none, while the broker is away, and sends them all when it is back', async () => {
    let brokerAway = true;
    const { db, relay, sent, queue } = await setUp(() =>
      brokerAway
        ? new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')
        : undefined,
    );
    await queue(request(1));
    await queue(request(2));

    await expect(relay.publishOnce()).rejects.toBeInstanceOf(KafkaJSConnectionError);
    expect(sent).toEqual([]);
    expect(await listQuarantined(db, 10)).toEqual([]);
    expect(await unpublished(db, 10)).toHaveLength(2);

    brokerAway = false;
    await relay.publishOnce();
    expect(sent).toEqual([request(1), request(2)]);
    await db.close();
  });
});
