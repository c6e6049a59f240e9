import { eventFromJson, eventToJson, type PassportEvent } from '@passport/events';
import type { Database } from '../db/database';

export interface OutboxRow {
  id: number;
  eventId: string;
  event: PassportEvent;
  traceparent: string;
}

/** Written in the same transaction as the state change it announces, so neither exists without the other. */
export async function addToOutbox(tx: Database, event: PassportEvent, traceparent: string): Promise<void> {
  await tx.execute(
    'INSERT INTO outbox (event_id, request_id, event, traceparent, created_at) VALUES (?, ?, ?, ?, ?)',
    [event.eventId, event.requestId, eventToJson(event), traceparent, Date.now()],
  );
}

/** True when this agency wrote the event: its id is in our own outbox. */
export async function isInOutbox(db: Database, eventId: string): Promise<boolean> {
  return (await db.query('SELECT 1 AS found FROM outbox WHERE event_id = ?', [eventId])).length > 0;
}

/**
 * Oldest first: publishing in insertion order keeps each request's events in order. A quarantined row
 * is left out, and so is every later row of the same request, which waits for it (a partner must not
 * see a request's events out of order); other requests flow. A row already seen on its topic needs no
 * send even if its mark as published was lost (its echo may come back before the mark).
 */
export async function unpublished(db: Database, limit: number): Promise<OutboxRow[]> {
  const rows = await db.query<{ id: number; event_id: string; event: string; traceparent: string }>(
    `SELECT id, event_id, event, traceparent FROM outbox
     WHERE published_at IS NULL AND quarantined_at IS NULL AND confirmed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM outbox AS ahead
                       WHERE ahead.quarantined_at IS NOT NULL AND ahead.request_id = outbox.request_id
                         AND ahead.id < outbox.id)
     ORDER BY id LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    eventId: row.event_id,
    event: eventFromJson(row.event) as PassportEvent,
    traceparent: row.traceparent,
  }));
}

/**
 * The IN list is padded (repeating the last id) to a power of two, so a few SQL texts serve every batch
 * size and stay in the statement cache instead of evicting each other.
 */
export function paddedIds<Id>(ids: readonly Id[]): Id[] {
  let size = 1;
  while (size < ids.length) size *= 2;
  return Array.from({ length: size }, (_, i) => ids[Math.min(i, ids.length - 1)] as Id);
}

/**
 * Bookkeeping only: if a power failure undoes the mark, the rows are published again and deduplicated.
 * Published is not delivered: a row counts as delivered once its echo confirms it (outbox-confirmation),
 * unless `confirmed` says the broker's acknowledgement is taken as delivery (the `ack` baseline).
 * The first send's time is kept, so a row resent again and again still ages towards the alert.
 */
export async function markPublished(
  db: Database,
  ids: readonly number[],
  { confirmed = false }: { confirmed?: boolean } = {},
): Promise<void> {
  if (ids.length === 0) return;
  const padded = paddedIds(ids);
  const now = Date.now();
  const confirm = confirmed ? ', confirmed_at = COALESCE(confirmed_at, ?)' : '';
  await db.executeWithoutSync(
    `UPDATE outbox SET published_at = ?, first_published_at = COALESCE(first_published_at, ?)${confirm}
     WHERE id IN (${padded.map(() => '?').join(', ')})`,
    confirmed ? [now, now, now, ...padded] : [now, now, ...padded],
  );
}

/** For the metrics: every unpublished row counts, including quarantined ones and those held behind them. */
export async function outboxHealth(
  db: Database,
): Promise<{ backlog: number; quarantined: number; oldestCreatedAt: number | undefined }> {
  const [row] = await db.query<{ backlog: number; quarantined: number | null; oldest: number | null }>(
    `SELECT COUNT(*) AS backlog, SUM(CASE WHEN quarantined_at IS NULL THEN 0 ELSE 1 END) AS quarantined,
            MIN(created_at) AS oldest
     FROM outbox WHERE published_at IS NULL AND confirmed_at IS NULL`,
  );
  return {
    backlog: Number(row?.backlog ?? 0),
    quarantined: Number(row?.quarantined ?? 0),
    oldestCreatedAt: row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest),
  };
}
