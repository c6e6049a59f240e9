import { createHash } from 'node:crypto';
import { BodyValidationError, IdempotencyKeyReusedError } from '@passport/errors';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import { findResponse, saveResponse } from '../store/idempotency';

export interface CommandResponse {
  statusCode: number;
  body: unknown;
}

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a command in one transaction. With an Idempotency-Key, the answer is stored in that same
 * transaction: a retry with the same key and body gets the stored answer and causes nothing; the same
 * key with another body is refused.
 */
export async function runCommand(
  db: Database,
  request: FastifyRequest,
  work: (tx: Database) => Promise<CommandResponse>,
): Promise<CommandResponse & { replayed: boolean }> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return { ...(await db.transaction(work)), replayed: false };
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !KEY.test(key))
    throw new BodyValidationError([
      { path: 'headers.idempotency-key', message: 'must be 1-200 letters, digits or . _ : -' },
    ]);
  const print = fingerprint(request);
  const stored = await findResponse(db, key);
  if (stored) {
    if (stored.fingerprint !== print) throw new IdempotencyKeyReusedError(key);
    return { statusCode: stored.statusCode, body: stored.body, replayed: true };
  }
  const response = await db.transaction(async (tx) => {
    const again = await findResponse(tx, key);
    if (again)
      return again.fingerprint === print
        ? { statusCode: again.statusCode, body: again.body }
        : Promise.reject(new IdempotencyKeyReusedError(key));
    const result = await work(tx);
    await saveResponse(tx, key, { fingerprint: print, statusCode: result.statusCode, body: result.body });
    return result;
  });
  return { ...response, replayed: false };
}
