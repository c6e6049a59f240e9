import type { Database } from '../db/database';
import { paddedIds } from './outbox';

/**
 * Dead letters wait here between the consumer passing their poison message and their echo coming back
 * from the agency's dead-letter topic. A dead letter is raw bytes, not a PassportEvent: key, value and
 * header values are kept as base64 text (both engines store text alike), headers as a JSON list of
 * [name, base64] pairs, in the order they are produced.
 */
export interface QueuedDeadLetter {
  /** Also the record's `dlq_id` header: how its echo is matched. */
  dlqId: string;
  /** `<group> <topic>/<partition>@<offset>`: a poison message read again after a crash is queued once. */
  origin: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: ReadonlyArray<readonly [string, Buffer]>;
}

export interface DeadLetterRow extends QueuedDeadLetter {
  id: number;
}

const toText = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString('base64'));
const fromText = (text: string | null) => (text === null ? null : Buffer.from(text, 'base64'));

/**
 * Written with a sync to disk before the consumer resolves the poison message's offset: once the
 * offset is committed, this row is the dead letter. Returns false when the message was queued before
 * (read again after a crash or a rebalance before its offset was committed).
 */
export async function queueDeadLetter(db: Database, letter: QueuedDeadLetter, now: number): Promise<boolean> {
  const headers = JSON.stringify(letter.headers.map(([name, value]) => [name, value.toString('base64')]));
  const inserted = await db.execute(
    `INSERT INTO dead_letter_outbox (dlq_id, origin, message_key, message_value, headers, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING`,
    [letter.dlqId, letter.origin, toText(letter.key), toText(letter.value), headers, now],
  );
  return inserted > 0;
}

/** Oldest first; a row whose echo already came back needs no send even if its mark was lost. */
export async function unpublishedDeadLetters(db: Database, limit: number): Promise<DeadLetterRow[]> {
  const rows = await db.query<{
    id: number;
    dlq_id: string;
    origin: string;
    message_key: string | null;
    message_value: string | null;
    headers: string;
  }>(
    `SELECT id, dlq_id, origin, message_key, message_value, headers FROM dead_letter_outbox
     WHERE published_at IS NULL AND confirmed_at IS NULL ORDER BY id LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    dlqId: row.dlq_id,
    origin: row.origin,
    key: fromText(row.message_key),
    value: fromText(row.message_value),
    headers: (JSON.parse(row.headers) as Array<[string, string]>).map(
      ([name, value]) => [name, Buffer.from(value, 'base64')] as const,
    ),
  }));
}

/** Bookkeeping as for the outbox: a lost mark sends the dead letter again, and its echo confirms either. */
export async function markDeadLettersPublished(db: Database, ids: readonly number[], now: number) {
  if (ids.length === 0) return;
  const padded = paddedIds(ids);
  await db.executeWithoutSync(
    `UPDATE dead_letter_outbox SET published_at = ?, first_published_at = COALESCE(first_published_at, ?)
     WHERE id IN (${padded.map(() => '?').join(', ')})`,
    [now, now, ...padded],
  );
}

/** Marks the dead letters whose echo was read back from the dead-letter topic, by their `dlq_id`. */
export async function confirmDeadLetters(db: Database, dlqIds: readonly string[], now: number) {
  if (dlqIds.length === 0) return;
  const padded = paddedIds(dlqIds);
  await db.executeWithoutSync(
    `UPDATE dead_letter_outbox SET confirmed_at = ?
     WHERE confirmed_at IS NULL AND dlq_id IN (${padded.map(() => '?').join(', ')})`,
    [now, ...padded],
  );
}

/**
 * Dead letters sent before `sentBefore` and still not read back go back in line; returns how many.
 * Unlike exchange events they carry no order to keep, so each is resent on its own.
 */
export async function requeueUnconfirmedDeadLetters(db: Database, sentBefore: number): Promise<number> {
  return db.execute(
    `UPDATE dead_letter_outbox SET published_at = NULL
     WHERE confirmed_at IS NULL AND published_at IS NOT NULL AND published_at < ?`,
    [sentBefore],
  );
}

export interface DeadLetterHealth {
  /** Queued and never sent yet. */
  backlog: number;
  /** Sent at least once and not yet read back. */
  unconfirmed: number;
  /** When the oldest unconfirmed one was first sent; undefined when there is none. */
  oldestFirstPublishedAt: number | undefined;
}

export async function deadLetterHealth(db: Database): Promise<DeadLetterHealth> {
  const [row] = await db.query<{ backlog: number | null; unconfirmed: number | null; oldest: number | null }>(
    `SELECT SUM(CASE WHEN first_published_at IS NULL THEN 1 ELSE 0 END) AS backlog,
            SUM(CASE WHEN first_published_at IS NULL THEN 0 ELSE 1 END) AS unconfirmed,
            MIN(first_published_at) AS oldest
     FROM dead_letter_outbox WHERE confirmed_at IS NULL`,
  );
  return {
    backlog: Number(row?.backlog ?? 0),
    unconfirmed: Number(row?.unconfirmed ?? 0),
    oldestFirstPublishedAt:
      row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest),
  };
}
