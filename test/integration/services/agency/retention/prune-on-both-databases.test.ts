import { loadAgencies } from '@passport/config';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import pino from 'pino';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../../support/agency-databases';
import { asOf, firm, LONG_AGO, NOW, policy, profile, RECENTLY } from '../../../../support/retention-clock';
import type { Database } from '@passport/agency-service/db/database';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { concernsUs } from '@passport/agency-service/handlers/reactions/apply-event';
import { createMetrics } from '@passport/agency-service/metrics';
import { DAY_MS } from '@passport/agency-service/retention/policy';
import { pruneExpired } from '@passport/agency-service/retention/prune';
import { RetentionJob } from '@passport/agency-service/retention/retention-job';
import { appendFeed, feedAfter } from '@passport/agency-service/store/feed';
import { findResponse, saveResponse } from '@passport/agency-service/store/idempotency';
import { addToOutbox, isInOutbox, markPublished, unpublished } from '@passport/agency-service/store/outbox';
import { confirmDelivered } from '@passport/agency-service/store/outbox-confirmation';
import {
  confirmDeadLetters,
  markDeadLettersPublished,
  queueDeadLetter,
} from '@passport/agency-service/store/dead-letter-outbox';
import { insertOwnRequest } from '@passport/agency-service/store/own-requests';
import { claimEvent } from '@passport/agency-service/store/processed-events';
import { deliveryLog, recordAttempt } from '@passport/agency-service/store/webhook-deliveries';
import { cooperationRequestedSample, SAMPLE_EVENTS } from '../../../../fixtures/events';

const agencies = loadAgencies();
const agency = (id: string) => agencies.find((a) => a.id === id) as (typeof agencies)[number];

describe.each(AGENCY_DATABASE_ENGINES)('retention on %s', (_name, open) => {
  let db: Database;

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  const count = async (table: string) =>
    Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

  it('deletes old bookkeeping rows in batches and keeps young ones and events not yet seen on their topic', async () => {
    const event = (i: number) =>
      validateOutgoing({
        ...cooperationRequestedSample,
        eventId: `0b000000-0000-4000-8000-00000000000${i}`,
      }) as PassportEvent;
    for (const [i, at] of [
      [1, LONG_AGO],
      [2, LONG_AGO],
      [3, LONG_AGO],
      [4, RECENTLY],
    ] as const)
      await asOf(at, async () => {
        await db.transaction((tx) => addToOutbox(tx, event(i), '00-trace-01'));
        await markPublished(
          db,
          (await unpublished(db, 10)).map((row) => row.id),
        );
        await confirmDelivered(db, [event(i).eventId], at);
        await db.transaction(async (tx) => {
          await claimEvent(tx, {
            eventId: `dedupe-${i}`,
            eventType: 'X',
            topic: 't',
            partition: 0,
            offset: String(i),
          });
          await saveResponse(tx, `key-${i}`, { fingerprint: 'f', statusCode: 201, body: { i } });
        });
      });
    await asOf(LONG_AGO, () => db.transaction((tx) => addToOutbox(tx, event(5), '00-trace-01')));
    // Sent long ago but never read back: it must stay to be sent again.
    await asOf(LONG_AGO, async () => {
      await db.transaction((tx) => addToOutbox(tx, event(6), '00-trace-01'));
      const [sent] = await db.query<{ id: number }>('SELECT id FROM outbox WHERE event_id = ?', [
        event(6).eventId,
      ]);
      await markPublished(db, [Number(sent?.id)]);
    });

    const counts = await pruneExpired(db, policy, NOW, 2);

    expect(counts).toMatchObject({ outbox: 3, processed_events: 3, idempotency_keys: 3 });
    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([event(5).eventId]);
    expect(
      (await db.query<{ event_id: string }>('SELECT event_id FROM outbox ORDER BY id')).map(
        (r) => r.event_id,
      ),
    ).toEqual([event(4).eventId, event(5).eventId, event(6).eventId]);
    expect(
      (await db.query<{ event_id: string }>('SELECT event_id FROM processed_events')).map((r) => r.event_id),
    ).toEqual(['dedupe-4']);
    expect(await findResponse(db, 'key-4')).toBeDefined();
    expect(await findResponse(db, 'key-1')).toBeUndefined();
    // A second pass finds nothing more.
    expect(Object.values(await pruneExpired(db, policy, NOW, 2)).every((n) => n === 0)).toBe(true);
  });

  it('deletes dead letters read back long ago, never one not yet read back however old', async () => {
    const queue = async (name: string, at: number, state: 'queued' | 'sent' | 'confirmed') => {
      await queueDeadLetter(
        db,
        { dlqId: name, origin: `g t/0@${name}`, key: null, value: Buffer.from('x'), headers: [] },
        at,
      );
      const [row] = await db.query<{ id: number }>('SELECT id FROM dead_letter_outbox WHERE dlq_id = ?', [
        name,
      ]);
      if (state !== 'queued') await markDeadLettersPublished(db, [Number(row?.id)], at);
      if (state === 'confirmed') await confirmDeadLetters(db, [name], at);
    };
    await queue('old-confirmed-1', LONG_AGO, 'confirmed');
    await queue('old-confirmed-2', LONG_AGO, 'confirmed');
    await queue('old-sent', LONG_AGO, 'sent');
    await queue('old-queued', LONG_AGO, 'queued');
    await queue('young-confirmed', RECENTLY, 'confirmed');

    const counts = await pruneExpired(db, policy, NOW, 1);

    expect(counts).toMatchObject({ dead_letter_outbox: 2 });
    const left = await db.query<{ dlq_id: string }>('SELECT dlq_id FROM dead_letter_outbox ORDER BY id');
    expect(left.map((row) => row.dlq_id)).toEqual(['old-sent', 'old-queued', 'young-confirmed']);
  });

  it('keeps dedupe ids for as long as the longest topic retention, and a little more', async () => {
    await asOf(LONG_AGO, () =>
      db.transaction((tx) =>
        claimEvent(tx, { eventId: 'e', eventType: 'X', topic: 't', partition: 0, offset: '0' }),
      ),
    );
    await pruneExpired(db, policy, LONG_AGO + 1_825 * DAY_MS + 30 * DAY_MS);
    expect(await count('processed_events')).toBe(1);
  });

  it('prunes acknowledged deliveries and their feed entries, never a pending delivery or its entry', async () => {
    const notify = (requestId: string, at: number) =>
      db.transaction((tx) => appendFeed(tx, 'request.acknowledged', requestId, { requestId }, at, true));
    await notify('old-delivered', LONG_AGO); // cursor 1
    await notify('old-pending', LONG_AGO); // cursor 2
    await notify('young-delivered', RECENTLY); // cursor 3
    const acknowledged = { delivered: true, statusCode: 204, error: null, nextAttemptAt: 0 };
    await recordAttempt(db, 1, acknowledged, LONG_AGO);
    await recordAttempt(
      db,
      2,
      { delivered: false, statusCode: 503, error: null, nextAttemptAt: NOW },
      LONG_AGO,
    );
    await recordAttempt(db, 3, acknowledged, RECENTLY);

    const counts = await pruneExpired(db, policy, NOW, 1);

    expect(counts).toMatchObject({ webhook_deliveries: 1, feed: 1 });
    expect((await deliveryLog(db, 10)).map((d) => [d.cursor, d.status])).toEqual([
      [3, 'delivered'],
      [2, 'pending'],
    ]);
    expect((await feedAfter(db, 0, 10)).map((entry) => entry.requestId)).toEqual([
      'old-pending',
      'young-delivered',
    ]);
  });

  it('counts what it pruned in the metric, by table', async () => {
    await asOf(LONG_AGO, () =>
      db.transaction((tx) => saveResponse(tx, 'key', { fingerprint: 'f', statusCode: 201, body: {} })),
    );
    const metrics = createMetrics('bwi');
    const job = new RetentionJob({
      db,
      policy,
      logger: pino({ level: 'silent' }),
      metrics,
      clock: () => NOW,
    });
    await job.runOnce();
    const metric = await metrics.retentionPruned.get();
    expect(metric.values).toEqual([
      expect.objectContaining({ labels: { table: 'idempotency_keys' }, value: 1 }),
    ]);
  });

  it('lets our own events, once pruned from the outbox, come back as "not ours" by the full path', async () => {
    for (const sample of SAMPLE_EVENTS) {
      const event = validateOutgoing(sample) as PassportEvent;
      await asOf(LONG_AGO, async () => {
        await db.transaction((tx) => addToOutbox(tx, event, '00-trace-01'));
        await markPublished(
          db,
          (await unpublished(db, 10)).map((row) => row.id),
        );
        await confirmDelivered(db, [event.eventId], LONG_AGO);
      });
    }
    // The state that makes each kind of event concern an agency, were it from someone else.
    await db.transaction((tx) =>
      insertOwnRequest(tx, cooperationRequestedSample.requestId, firm, profile, NOW),
    );
    await pruneExpired(db, policy, NOW);

    for (const sample of SAMPLE_EVENTS) {
      const event = validateOutgoing(sample) as PassportEvent;
      expect(await isInOutbox(db, event.eventId)).toBe(false);
      expect(await concernsUs(event, handlerDeps(db, agency(event.source)), event.source)).toBe(false);
    }
  });
});
