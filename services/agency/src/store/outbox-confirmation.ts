import type { Database } from '../db/database';
import { paddedIds } from './outbox';

/**
 * A send the broker acknowledged is not proof that the event arrived (kafkajs can resolve a send whose
 * records never reach the log when a broker dies mid-request). Proof is reading it back: every agency
 * consumes the topics it writes to, and the echo of an event of ours confirms its row here.
 */

/**
 * When an outbox row counts as delivered. `echo` (the default): once the service reads its event back
 * from the topic. `ack`: once the broker acknowledges the send, as before verified publication; a
 * benchmark baseline only, since it gives up the guarantee above (nothing is ever sent again).
 */
export const OUTBOX_CONFIRMATIONS = ['echo', 'ack'] as const;
export type OutboxConfirmation = (typeof OUTBOX_CONFIRMATIONS)[number];

/**
 * Marks the rows whose events were read back on their topic. Works whether or not the relay has marked
 * them published yet: the echo may overtake that mark. Bookkeeping only (no sync to disk): a lost mark
 * makes the row look unconfirmed, and at worst it is sent once more and dropped as a duplicate.
 */
export async function confirmDelivered(
  db: Database,
  eventIds: readonly string[],
  now: number,
): Promise<void> {
  if (eventIds.length === 0) return;
  const padded = paddedIds(eventIds);
  await db.executeWithoutSync(
    `UPDATE outbox SET confirmed_at = ?
     WHERE confirmed_at IS NULL AND event_id IN (${padded.map(() => '?').join(', ')})`,
    [now, ...padded],
  );
}

/** True when some row sent before `sentBefore` is still not seen on its topic. */
export async function hasOverdue(db: Database, sentBefore: number): Promise<boolean> {
  const rows = await db.query<{ found: number }>(
    `SELECT 1 AS found FROM outbox
     WHERE confirmed_at IS NULL AND first_published_at IS NOT NULL AND published_at < ?
       AND quarantined_at IS NULL
     LIMIT 1`,
    [sentBefore],
  );
  return rows.length > 0;
}

/** Requests whose oldest overdue row is put back in one pass; the rest wait for the next pass. */
const MAX_REQUESTS_PER_PASS = 100;

/**
 * Rows sent before `sentBefore` and still not seen on their topic are put back in line to be sent
 * again; returns how many rows were put back. Per request, everything from its first overdue row on
 * goes back, later rows already confirmed included: the relay then sends them again in id order, so a
 * partner that refused a later event because the lost one was missing receives it again after it, and
 * a partner that applied it drops the copy by event id. Quarantined rows stay where they are.
 */
export async function requeueUnconfirmed(db: Database, sentBefore: number): Promise<number> {
  return db.transaction(async (tx) => {
    const overdue = await tx.query<{ request_id: string; first_id: number }>(
      `SELECT request_id, MIN(id) AS first_id FROM outbox
       WHERE confirmed_at IS NULL AND first_published_at IS NOT NULL AND published_at < ?
         AND quarantined_at IS NULL
       GROUP BY request_id ORDER BY MIN(id) LIMIT ?`,
      [sentBefore, MAX_REQUESTS_PER_PASS],
    );
    let requeued = 0;
    for (const row of overdue)
      requeued += await tx.execute(
        `UPDATE outbox SET published_at = NULL, confirmed_at = NULL
         WHERE request_id = ? AND id >= ? AND published_at IS NOT NULL AND quarantined_at IS NULL`,
        [row.request_id, Number(row.first_id)],
      );
    return requeued;
  });
}

export interface PublicationHealth {
  /** Rows sent at least once and not yet seen on their topic (quarantined ones are counted apart). */
  unconfirmed: number;
  /** When the oldest of them was first sent; undefined when there is none. */
  oldestFirstPublishedAt: number | undefined;
}

export async function publicationHealth(db: Database): Promise<PublicationHealth> {
  const [row] = await db.query<{ unconfirmed: number; oldest: number | null }>(
    `SELECT COUNT(*) AS unconfirmed, MIN(first_published_at) AS oldest FROM outbox
     WHERE confirmed_at IS NULL AND first_published_at IS NOT NULL AND quarantined_at IS NULL`,
  );
  return {
    unconfirmed: Number(row?.unconfirmed ?? 0),
    oldestFirstPublishedAt:
      row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest),
  };
}
