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

/** Oldest first: publishing in insertion order keeps each request's events in order. */
export async function unpublished(db: Database, limit: number): Promise<OutboxRow[]> {
  const rows = await db.query<{ id: number; event_id: string; event: string; traceparent: string }>(
    'SELECT id, event_id, event, traceparent FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?',
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
function paddedIds(ids: readonly number[]): number[] {
  let size = 1;
  while (size < ids.length) size *= 2;
  return Array.from({ length: size }, (_, i) => ids[Math.min(i, ids.length - 1)] as number);
}

/** Bookkeeping only: if a power failure undoes the mark, the rows are published again and deduplicated. */
export async function markPublished(db: Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const padded = paddedIds(ids);
  await db.executeWithoutSync(
    `UPDATE outbox SET published_at = ? WHERE id IN (${padded.map(() => '?').join(', ')})`,
    [Date.now(), ...padded],
  );
}

export async function outboxBacklog(db: Database): Promise<number> {
  const [row] = await db.query<{ backlog: number }>(
    'SELECT COUNT(*) AS backlog FROM outbox WHERE published_at IS NULL',
  );
  return Number(row?.backlog ?? 0);
}
