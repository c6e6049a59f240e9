import type { Producer } from 'kafkajs';
import type { Database } from '@passport/agency-service/db/database';
import { unpublished } from '@passport/agency-service/store/outbox';
import { publicationHealth } from '@passport/agency-service/store/outbox-confirmation';
import { metricValue, queueClosure, relayOnNewDatabase } from '../../../../support/outbox';

const request = (n: number) => `00000000-0000-4000-8000-00000000010${n}`;
const CONFIRM_TIMEOUT_MS = 30_000;

type Batch = { topicMessages: Array<{ messages: Array<{ headers: Record<string, unknown> }> }> };

/** Records the event ids of each send; a send fails while `failing` is set, as a broker refusing it. */
function brokerStub() {
  const state = { failing: false, sent: [] as string[] };
  const producer = {
    sendBatch: async ({ topicMessages }: Batch) => {
      if (state.failing) throw new Error('broker unavailable');
      state.sent.push(...topicMessages.flatMap((t) => t.messages.map((m) => String(m.headers.ce_id))));
      return [];
    },
  } as unknown as Producer;
  return { producer, state };
}

async function confirmationTimes(db: Database) {
  return db.query<{ event_id: string; first_published_at: number | null; confirmed_at: number | null }>(
    'SELECT event_id, first_published_at, confirmed_at FROM outbox ORDER BY id',
  );
}

async function ackRelay() {
  const { producer, state } = brokerStub();
  const clock = { now: Date.now() };
  const relay = await relayOnNewDatabase(producer, {
    confirmation: 'ack',
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    now: () => clock.now,
  });
  return { ...relay, state, clock };
}

describe("OUTBOX_CONFIRMATION=ack: the broker's acknowledgement counts as delivery (benchmark baseline)", () => {
  it('marks rows confirmed when they are published, and never sends them again without an echo', async () => {
    const { db, relay, metrics, state, clock } = await ackRelay();
    const first = (await queueClosure(db, request(1))).eventId;
    const second = (await queueClosure(db, request(2))).eventId;
    await relay.publishOnce();
    expect(state.sent).toEqual([first, second]);
    const rows = await confirmationTimes(db);
    for (const row of rows) {
      expect(row.confirmed_at).not.toBeNull();
      expect(Number(row.confirmed_at)).toBe(Number(row.first_published_at));
    }
    expect(await publicationHealth(db)).toEqual({ unconfirmed: 0, oldestFirstPublishedAt: undefined });

    clock.now += 10 * CONFIRM_TIMEOUT_MS;
    await relay.publishOnce();
    expect(state.sent).toEqual([first, second]);
    expect(await metricValue(metrics, 'passport_outbox_resends_total')).toBe(0);
    await db.close();
  });

  it('confirms nothing the broker did not take: a failed send leaves the row queued, unconfirmed', async () => {
    const { db, relay, state } = await ackRelay();
    const eventId = (await queueClosure(db, request(3))).eventId;
    state.failing = true;
    await expect(relay.publishOnce()).rejects.toThrow('broker unavailable');
    expect(await confirmationTimes(db)).toEqual([
      { event_id: eventId, first_published_at: null, confirmed_at: null },
    ]);
    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([eventId]);

    state.failing = false;
    await relay.publishOnce();
    expect(state.sent).toEqual([eventId]);
    expect((await confirmationTimes(db))[0]?.confirmed_at).not.toBeNull();
    await db.close();
  });

  it('leaves rows unconfirmed at publish under the default, echo', async () => {
    const { producer } = brokerStub();
    const { db, relay } = await relayOnNewDatabase(producer);
    await queueClosure(db, request(4));
    await relay.publishOnce();
    expect(await publicationHealth(db)).toMatchObject({ unconfirmed: 1 });
    expect((await confirmationTimes(db))[0]?.confirmed_at).toBeNull();
    await db.close();
  });
});
