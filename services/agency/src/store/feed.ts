import type { Database } from '../db/database';

/**
 * What the back office is told, in order: one row per notification with a growing cursor. The same
 * rows feed webhooks (one delivery per row) and the pull API `GET /events?after=<cursor>`.
 */
export type FeedKind =
  | 'inbox.request_received'
  | 'inbox.request_closed'
  | 'inbox.reminder'
  | 'request.acknowledged'
  | 'request.candidates_received'
  | 'request.no_candidates'
  | 'request.reminder'
  | 'request.expired'
  | 'introduction.requested'
  | 'introduction.accepted'
  | 'introduction.declined'
  | 'outcome.reported';

export interface FeedEntry {
  cursor: number;
  kind: FeedKind;
  requestId: string;
  body: unknown;
  createdAt: Date;
}

/** Appended in the transaction of the change it reports; a webhook delivery is queued with it when configured. */
export async function appendFeed(
  tx: Database,
  kind: FeedKind,
  requestId: string,
  body: unknown,
  now: number,
  withWebhook: boolean,
): Promise<void> {
  const values = [kind, requestId, JSON.stringify(body), now];
  if (!withWebhook) {
    await tx.execute('INSERT INTO feed (kind, request_id, body, created_at) VALUES (?, ?, ?, ?)', values);
    return;
  }
  const [row] = await tx.query<{ cursor_no: number }>(
    'INSERT INTO feed (kind, request_id, body, created_at) VALUES (?, ?, ?, ?) RETURNING cursor_no',
    values,
  );
  if (row) {
    await tx.execute(
      "INSERT INTO webhook_deliveries (cursor_no, status, attempts, next_attempt_at) VALUES (?, 'pending', 0, ?)",
      [Number(row.cursor_no), now],
    );
  }
}

interface FeedRow {
  cursor_no: number;
  kind: FeedKind;
  request_id: string;
  body: string;
  created_at: number;
}

const toEntry = (row: FeedRow): FeedEntry => ({
  cursor: Number(row.cursor_no),
  kind: row.kind,
  requestId: row.request_id,
  body: JSON.parse(row.body),
  createdAt: new Date(Number(row.created_at)),
});

export async function feedAfter(db: Database, after: number, limit: number): Promise<FeedEntry[]> {
  return (
    await db.query<FeedRow>('SELECT * FROM feed WHERE cursor_no > ? ORDER BY cursor_no LIMIT ?', [
      after,
      limit,
    ])
  ).map(toEntry);
}

export async function feedEntry(db: Database, cursor: number): Promise<FeedEntry | undefined> {
  const [row] = await db.query<FeedRow>('SELECT * FROM feed WHERE cursor_no = ?', [cursor]);
  return row ? toEntry(row) : undefined;
}
