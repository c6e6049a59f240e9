import type { Database, SqlValue } from '../db/database';
import { ERASED_FIRM_SET, ERASED_INTRODUCTION_SET } from '../erasure/erase-copies';
import type { RetentionPolicy } from './policy';

/** Rows per statement: each delete or erase is one short write, never a table-wide lock or a long one. */
export const PRUNE_BATCH_SIZE = 500;

export const PRUNED_TABLES = [
  'outbox',
  'dead_letter_outbox',
  'processed_events',
  'idempotency_keys',
  'webhook_deliveries',
  'feed',
  'own_requests',
  'introductions',
  'introduction_keys',
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

interface PruneStep {
  table: PrunedTable;
  /** One batch: `?` placeholders for the cutoffs (and the time of erasure), then the batch size last. */
  sql: string;
  params: (now: number, policy: RetentionPolicy) => SqlValue[];
}

/** Deletes the rows `condition` (comparing an age column with the cutoff) selects, batch by batch on `key`. */
function byAge(
  table: PrunedTable,
  key: string,
  condition: string,
  age: (policy: RetentionPolicy) => number,
): PruneStep {
  return {
    table,
    sql: `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${condition} LIMIT ?)`,
    params: (now, policy) => [now - age(policy)],
  };
}

/**
 * Every statement picks its batch by key in a subquery with LIMIT, which both engines accept (DELETE …
 * LIMIT is SQLite-only, and only in some builds). Deliveries go before the feed, so an entry whose
 * delivery was acknowledged long ago can go in the same round; an entry still pending stays with it.
 */
const STEPS: readonly PruneStep[] = [
  // Only rows whose event was read back from its topic: one sent but never seen must stay to be resent.
  byAge('outbox', 'id', 'confirmed_at < ?', (policy) => policy.outboxMs),
  // Likewise a dead letter: pruned once read back from the dead-letter topic, never before.
  byAge('dead_letter_outbox', 'id', 'confirmed_at < ?', (policy) => policy.outboxMs),
  byAge('processed_events', 'event_id', 'processed_at < ?', (policy) => policy.processedEventMs),
  byAge('idempotency_keys', 'idempotency_key', 'created_at < ?', (policy) => policy.idempotencyKeyMs),
  byAge(
    'webhook_deliveries',
    'cursor_no',
    "status = 'delivered' AND delivered_at < ?",
    (policy) => policy.feedMs,
  ),
  {
    table: 'feed',
    sql: `DELETE FROM feed WHERE cursor_no IN (SELECT f.cursor_no FROM feed f WHERE f.created_at < ?
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.cursor_no = f.cursor_no AND d.status = 'pending')
      ORDER BY f.cursor_no LIMIT ?)`,
    params: (now, policy) => [now - policy.feedMs],
  },
  {
    table: 'own_requests',
    // The row stays (partners' late outcomes still find the request); the firm's identity goes.
    sql: `UPDATE own_requests SET ${ERASED_FIRM_SET}, personal_data_erased_at = ?
      WHERE request_id IN (SELECT request_id FROM own_requests WHERE status = 'closed' AND updated_at < ?
      AND personal_data_erased_at IS NULL LIMIT ?)`,
    params: (now, policy) => [now, now - policy.personalDataMs],
  },
  {
    table: 'introductions',
    // Ours end when our request closes; a partner's when its closure reached our inbox, or, should the
    // home agency never send one, when the deadline it closes at anyway has passed by as long.
    sql: `UPDATE introductions SET ${ERASED_INTRODUCTION_SET}
      WHERE (request_id, candidate_ref, role) IN (SELECT i.request_id, i.candidate_ref, i.role FROM introductions i
      WHERE (i.firm_name IS NOT NULL OR i.firm_contact IS NOT NULL OR i.candidate_name IS NOT NULL OR i.candidate_contact IS NOT NULL)
      AND ((i.role = 'home' AND EXISTS (SELECT 1 FROM own_requests r WHERE r.request_id = i.request_id AND r.status = 'closed' AND r.updated_at < ?))
        OR (i.role = 'partner' AND EXISTS (SELECT 1 FROM inbox b WHERE b.request_id = i.request_id
          AND ((b.status = 'closed' AND b.updated_at < ?) OR b.deadline < ?))))
      LIMIT ?)`,
    params: (now, policy) => {
      const cutoff = now - policy.personalDataMs;
      return [cutoff, cutoff, cutoff];
    },
  },
  {
    table: 'introduction_keys',
    // With the same ages as the introductions: destroying our private keys is what erases the sealed
    // copies on the topics, in exports and in any backup of them (README "Sealed personal data").
    sql: `DELETE FROM introduction_keys WHERE (request_id, agency_id, candidate_ref, side) IN
      (SELECT k.request_id, k.agency_id, k.candidate_ref, k.side FROM introduction_keys k
      WHERE EXISTS (SELECT 1 FROM own_requests r WHERE r.request_id = k.request_id AND r.status = 'closed' AND r.updated_at < ?)
        OR EXISTS (SELECT 1 FROM inbox b WHERE b.request_id = k.request_id
          AND ((b.status = 'closed' AND b.updated_at < ?) OR b.deadline < ?))
      LIMIT ?)`,
    params: (now, policy) => {
      const cutoff = now - policy.personalDataMs;
      return [cutoff, cutoff, cutoff];
    },
  },
];

export type PruneCounts = Record<PrunedTable, number>;

/** Lets the service's other work in between two batches. */
const yieldToOthers = () => new Promise<void>((resolvePromise) => setImmediate(resolvePromise));

/**
 * One pass over every table, batch after batch until a batch comes back short. Each batch commits on
 * its own: an interrupted pass has kept what it did, and the next one resumes where it stopped.
 */
export async function pruneExpired(
  db: Database,
  policy: RetentionPolicy,
  now: number,
  batchSize: number = PRUNE_BATCH_SIZE,
): Promise<PruneCounts> {
  const counts = Object.fromEntries(PRUNED_TABLES.map((table) => [table, 0])) as PruneCounts;
  for (const step of STEPS) {
    const params = [...step.params(now, policy), batchSize];
    for (;;) {
      const changed = await db.execute(step.sql, params);
      counts[step.table] += changed;
      if (changed < batchSize) break;
      await yieldToOthers();
    }
  }
  return counts;
}
