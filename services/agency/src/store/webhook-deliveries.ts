import type { Database } from '../db/database';

/** A delivery stays `pending`, retried with backoff, until the back office acknowledges it. */
export const DELIVERY_STATUSES = ['pending', 'delivered'] as const;

export interface Delivery {
  cursor: number;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

interface DeliveryRow {
  cursor_no: number;
  status: Delivery['status'];
  attempts: number;
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

const toDelivery = (row: DeliveryRow): Delivery => ({
  cursor: Number(row.cursor_no),
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: new Date(Number(row.next_attempt_at)),
  lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
  lastError: row.last_error,
  deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
});

/**
 * Longest due first: an attempt moves a failing delivery behind everything due sooner, so however many
 * old deliveries keep failing, each is tried at most once before a newer one gets its turn.
 */
export async function dueDeliveries(db: Database, now: number, limit: number): Promise<Delivery[]> {
  const rows = await db.query<DeliveryRow>(
    "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, cursor_no LIMIT ?",
    [now, limit],
  );
  return rows.map(toDelivery);
}

export async function recordAttempt(
  db: Database,
  cursor: number,
  outcome: {
    delivered: boolean;
    statusCode: number | null;
    error: string | null;
    nextAttemptAt: number;
  },
  now: number,
): Promise<void> {
  const status: Delivery['status'] = outcome.delivered ? 'delivered' : 'pending';
  await db.execute(
    'UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_status_code = ?, last_error = ?, delivered_at = ? WHERE cursor_no = ?',
    [
      status,
      outcome.nextAttemptAt,
      outcome.statusCode,
      outcome.error,
      outcome.delivered ? now : null,
      cursor,
    ],
  );
}

/** Newest first; `status: 'pending'` lists what the back office has not acknowledged yet, however old. */
export async function deliveryLog(
  db: Database,
  limit: number,
  status?: Delivery['status'],
): Promise<Delivery[]> {
  const rows = await db.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries ${status ? 'WHERE status = ? ' : ''}ORDER BY cursor_no DESC LIMIT ?`,
    status ? [status, limit] : [limit],
  );
  return rows.map(toDelivery);
}
