import type { Producer } from 'kafkajs';
import type { Database } from '@passport/agency-service/db/database';
import { confirmDelivered, publicationHealth } from '@passport/agency-service/store/outbox-confirmation';
import { metricValue, queueClosure, relayOnNewDatabase } from '../../../../support/outbox';

const request = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const CONFIRM_TIMEOUT_MS = 30_000;

type Batch = { topicMessages: Array<{ messages: Array<{ headers: Record<string, unknown> }> }> };

/** Records the event ids it is given; `onSend` plays what the topic does with them meanwhile. */
function recordingProducer(onSend: (eventIds: string[]) => Promise<void>) {
  const sent: string[] = [];
  const producer = {
    sendBatch: async ({ topicMessages }: Batch) => {
      const ids = topicMessages.flatMap((t) => t.messages.map((m) => String(m.headers.ce_id)));
      sent.push(...ids);
      await onSend(ids);
      return [];
    },
  } as unknown as Producer;
  return { producer, sent };
}

async function setUp(
  onSend: (db: Database, eventIds: string[]) => Promise<void> = async () => undefined,
  echoesReadable: () => boolean = () => true,
) {
  // The producer plays the topic on the relay's database, which exists only once the relay does.
  const topic: { db?: Database } = {};
  const { producer, sent } = recordingProducer((ids) => onSend(topic.db as Database, ids));
  // The store stamps sends with the real clock; the relay's clock starts there and the test moves it.
  const clock = { now: Date.now() };
  const { db, relay, metrics } = await relayOnNewDatabase(producer, {
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    now: () => clock.now,
    echoesReadable,
  });
  topic.db = db;
  const queue = async (requestId: string, reason: 'WITHDRAWN' | 'FULFILLED' = 'WITHDRAWN') =>
    (await queueClosure(db, requestId, reason)).eventId;
  return { db, relay, sent, metrics, clock, queue };
}

describe('outbox rows confirmed by their echo, resent without one', () => {
  it("resends a row never seen on its topic once the timeout passes, with its request's later rows in order", async () => {
    const { db, relay, sent, metrics, clock, queue } = await setUp();
    const lost = await queue(request(1));
    const other = await queue(request(2));
    const later = await queue(request(1), 'FULFILLED');
    await relay.publishOnce();
    expect(sent).toEqual([lost, other, later]);
    // The topic gives back the other request's event and the later one, not the first.
    await confirmDelivered(db, [other, later], clock.now);

    clock.now += CONFIRM_TIMEOUT_MS - 1_000;
    await relay.publishOnce();
    expect(sent).toHaveLength(3);

    clock.now += 2_000;
    await relay.publishOnce();
    // The lost row goes out again, and its request's later row after it, already seen or not.
    expect(sent.slice(3)).toEqual([lost, later]);
    expect(await metricValue(metrics, 'passport_outbox_resends_total')).toBe(2);
    expect(await publicationHealth(db)).toMatchObject({ unconfirmed: 2 });

    await confirmDelivered(db, [lost, later], clock.now);
    clock.now += 10 * CONFIRM_TIMEOUT_MS;
    await relay.publishOnce();
    expect(sent).toHaveLength(5);
    expect(await publicationHealth(db)).toEqual({ unconfirmed: 0, oldestFirstPublishedAt: undefined });
    await db.close();
  });

  it("keeps the first send's time, so a row lost again and again still ages towards the alert", async () => {
    const { db, relay, clock, queue } = await setUp();
    await queue(request(1));
    const firstSend = Date.now();
    await relay.publishOnce();
    for (let round = 0; round < 3; round += 1) {
      clock.now += CONFIRM_TIMEOUT_MS + 1_000;
      await relay.publishOnce();
    }
    const health = await publicationHealth(db);
    expect(health.unconfirmed).toBe(1);
    expect(health.oldestFirstPublishedAt).toBeGreaterThanOrEqual(firstSend - 1_000);
    expect(health.oldestFirstPublishedAt).toBeLessThanOrEqual(firstSend + 1_000);
    await db.close();
  });

  it('counts a row as confirmed when its echo comes back before the relay marks it published', async () => {
    const { db, relay, sent, metrics, clock, queue } = await setUp((database, ids) =>
      confirmDelivered(database, ids, Date.now()),
    );
    const eventId = await queue(request(3));
    await relay.publishOnce();
    clock.now += 10 * CONFIRM_TIMEOUT_MS;
    await relay.publishOnce();
    expect(sent).toEqual([eventId]);
    expect(await metricValue(metrics, 'passport_outbox_resends_total')).toBe(0);
    expect(await publicationHealth(db)).toMatchObject({ unconfirmed: 0 });
    await db.close();
  });

  it('sends nothing again while the consumer is down, as no echo could come back; resumes once it is up', async () => {
    let consuming = false;
    const { db, relay, sent, clock, queue } = await setUp(undefined, () => consuming);
    const eventId = await queue(request(6));
    await relay.publishOnce();
    clock.now += 10 * CONFIRM_TIMEOUT_MS;
    await relay.publishOnce();
    expect(sent).toEqual([eventId]);
    consuming = true;
    clock.now += 1_000;
    await relay.publishOnce();
    expect(sent).toEqual([eventId, eventId]);
    await db.close();
  });

  it('reports unconfirmed rows and the age of the oldest in its gauges', async () => {
    const { relay, metrics, clock, queue, db } = await setUp();
    await queue(request(4));
    await queue(request(5));
    await relay.publishOnce();
    clock.now += 12_000;
    relay.start();
    await relay.stop();
    expect(await metricValue(metrics, 'passport_outbox_unconfirmed')).toBe(2);
    const oldest = await metricValue(metrics, 'passport_outbox_unconfirmed_oldest_seconds');
    expect(oldest).toBeGreaterThanOrEqual(11);
    expect(oldest).toBeLessThan(14);
    await db.close();
  });
});
