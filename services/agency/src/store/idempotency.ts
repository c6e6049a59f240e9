import type { Database } from '../db/database';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  body: unknown;
}

export async function findResponse(db: Database, key: string): Promise<StoredResponse | undefined> {
  const [row] = await db.query<{ fingerprint: string; status_code: number; response: string }>(
    'SELECT fingerprint, status_code, response FROM idempotency_keys WHERE idempotency_key = ?',
    [key],
  );
  return row
    ? { fingerprint: row.fingerprint, statusCode: Number(row.status_code), body: JSON.parse(row.response) }
    : undefined;
}

/** Stored in the transaction of the effect, so a retried POST gets the same answer and no second effect. */
export async function saveResponse(tx: Database, key: string, response: StoredResponse): Promise<void> {
  await tx.execute(
    'INSERT INTO idempotency_keys (idempotency_key, fingerprint, status_code, response, created_at) VALUES (?, ?, ?, ?, ?)',
    [key, response.fingerprint, response.statusCode, JSON.stringify(response.body), Date.now()],
  );
}
