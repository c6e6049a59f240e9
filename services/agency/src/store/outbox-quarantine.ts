import type { PassportError } from '@passport/errors';
import type { Database } from '../db/database';

/** Error messages are kept for people to read; a bound keeps one row from growing without limit. */
const MAX_MESSAGE_LENGTH = 1_000;

export interface QuarantinedRow {
  id: number;
  eventId: string;
  requestId: string;
  eventType: string;
  createdAt: string;
  quarantinedAt: string;
  code: string;
  message: string;
  /** Later rows of the same request, held back until this one is published. */
  heldBehind: number;
}

/**
 * Sets a row aside with the error that refused it; the relay skips it and the request's later rows.
 * Written with a sync to disk: losing it would only retry the row, but an operator may act on it.
 */
export async function quarantine(db: Database, id: number, error: PassportError): Promise<void> {
  await db.execute(
    `UPDATE outbox SET quarantined_at = ?, quarantine_code = ?, quarantine_message = ?
     WHERE id = ? AND published_at IS NULL`,
    [Date.now(), error.code, error.message.slice(0, MAX_MESSAGE_LENGTH), id],
  );
}

/** Oldest first, with each row's error code and message. */
export async function listQuarantined(db: Database, limit: number): Promise<QuarantinedRow[]> {
  const rows = await db.query<{
    id: number;
    event_id: string;
    request_id: string;
    event: string;
    created_at: number;
    quarantined_at: number;
    quarantine_code: string;
    quarantine_message: string;
    held: number;
  }>(
    `SELECT q.id, q.event_id, q.request_id, q.event, q.created_at, q.quarantined_at, q.quarantine_code,
            q.quarantine_message,
            (SELECT COUNT(*) FROM outbox AS behind
             WHERE behind.request_id = q.request_id AND behind.id > q.id
               AND behind.published_at IS NULL AND behind.quarantined_at IS NULL) AS held
     FROM outbox AS q WHERE q.quarantined_at IS NOT NULL ORDER BY q.id LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    eventId: row.event_id,
    requestId: row.request_id,
    // Only the type is shown: the event itself may hold a contact person.
    eventType: String((JSON.parse(row.event) as { type?: unknown }).type),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    quarantinedAt: new Date(Number(row.quarantined_at)).toISOString(),
    code: row.quarantine_code,
    message: row.quarantine_message,
    heldBehind: Number(row.held),
  }));
}

/** Puts a quarantined row back in line for the relay; false when no quarantined row has that id. */
export async function releaseFromQuarantine(db: Database, id: number): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE outbox SET quarantined_at = NULL, quarantine_code = NULL, quarantine_message = NULL
     WHERE id = ? AND quarantined_at IS NOT NULL`,
    [id],
  );
  return changed > 0;
}
