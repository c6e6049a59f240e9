import { randomUUID } from 'node:crypto';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { markPublished, outboxHealth, unpublished } from '@passport/agency-service/store/outbox';
import {
  confirmDelivered,
  publicationHealth,
  requeueUnconfirmed,
} from '@passport/agency-service/store/outbox-confirmation';
import { quarantine } from '@passport/agency-service/store/outbox-quarantine';
import { MessageRefusedError } from '@passport/errors';
import { queueClosure } from '../../../support/outbox';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../support/agency-databases';

describe.each(AGENCY_DATABASE_ENGINES)('outbox delivery confirmation on %s', (_name, open) => {
  let db: Database;
  const queue = (requestId: string) => queueClosure(db, requestId);
  const publishAll = async () =>
    markPublished(
      db,
      (await unpublished(db, 100)).map((row) => row.id),
    );
  const stateOf = async (eventId: string) => {
    const [row] = await db.query<{ published_at: number | null; confirmed_at: number | null }>(
      'SELECT published_at, confirmed_at FROM outbox WHERE event_id = ?',
      [eventId],
    );
    return { published: row?.published_at !== null, confirmed: row?.confirmed_at !== null };
  };

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('confirms a row whether its echo comes before or after the mark as published', async () => {
    const early = await queue(randomUUID());
    const late = await queue(randomUUID());
    await confirmDelivered(db, [early.eventId], Date.now());
    // Seen on the topic already: not sent again even though the relay has not marked it yet.
    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([late.eventId]);
    expect((await outboxHealth(db)).backlog).toBe(1);
    await markPublished(db, [early.id, late.id]);
    await confirmDelivered(db, [late.eventId], Date.now());

    expect(await stateOf(early.eventId)).toEqual({ published: true, confirmed: true });
    expect(await stateOf(late.eventId)).toEqual({ published: true, confirmed: true });
    expect(await publicationHealth(db)).toEqual({ unconfirmed: 0, oldestFirstPublishedAt: undefined });
  });

  it('puts back an overdue row and every later row of its request, and no other request', async () => {
    const [held, flowing] = [randomUUID(), randomUUID()];
    const lost = await queue(held);
    const other = await queue(flowing);
    const seen = await queue(held);
    const stuck = await queue(held);
    await publishAll();
    await confirmDelivered(db, [other.eventId, seen.eventId], Date.now());
    const refusal = new MessageRefusedError('passport.cooperation-requests.v1', 'MESSAGE_TOO_LARGE');
    await db.execute('UPDATE outbox SET published_at = NULL WHERE id = ?', [stuck.id]);
    await quarantine(db, stuck.id, refusal);

    expect(await requeueUnconfirmed(db, Date.now() - 60_000)).toBe(0);
    expect(await requeueUnconfirmed(db, Date.now() + 1)).toBe(2);

    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([lost.eventId, seen.eventId]);
    expect(await stateOf(other.eventId)).toEqual({ published: true, confirmed: true });
    expect(await stateOf(seen.eventId)).toEqual({ published: false, confirmed: false });
    // Sent once, never seen: the quarantined row is counted apart, not as unconfirmed.
    const health = await publicationHealth(db);
    expect(health.unconfirmed).toBe(2);
    expect(Date.now() - (health.oldestFirstPublishedAt as number)).toBeLessThan(60_000);
  });

  it('takes rows published before migration 8 as confirmed and leaves unpublished ones to the relay', async () => {
    const before = await queue(randomUUID());
    const waiting = await queue(randomUUID());
    await markPublished(db, [before.id]);
    // Back to the schema of migration 7, as a database upgraded from the previous release has it.
    for (const statement of [
      'DROP INDEX outbox_unconfirmed',
      'DROP INDEX outbox_confirmed',
      'ALTER TABLE outbox DROP COLUMN confirmed_at',
      'ALTER TABLE outbox DROP COLUMN first_published_at',
      'DELETE FROM schema_migrations WHERE id = 8',
    ])
      await db.execute(statement);

    expect(await migrate(db)).toEqual([8]);

    expect(await stateOf(before.eventId)).toEqual({ published: true, confirmed: true });
    expect(await stateOf(waiting.eventId)).toEqual({ published: false, confirmed: false });
    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([waiting.eventId]);
    expect(await requeueUnconfirmed(db, Date.now() + 1)).toBe(0);
  });

  it('marks a batch of echoes in one statement, padded ids and unknown ids included', async () => {
    const rows = await Promise.all([1, 2, 3, 4, 5].map(() => queue(randomUUID())));
    await publishAll();
    await confirmDelivered(db, [...rows.slice(0, 3).map((row) => row.eventId), randomUUID()], Date.now());
    expect((await publicationHealth(db)).unconfirmed).toBe(2);
    expect(await requeueUnconfirmed(db, Date.now() + 1)).toBe(2);
  });
});
