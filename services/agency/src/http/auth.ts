import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@passport/errors';
import type { FastifyRequest } from 'fastify';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Back-office callers present their agency's API key; only its SHA-256 is configured, so a leaked
 * configuration does not leak the key. Comparison is constant-time.
 */
export function apiKeyGuard(hashes: readonly string[]) {
  const known = hashes.map((hash) => Buffer.from(hash, 'hex'));
  return async (request: FastifyRequest): Promise<void> => {
    const key = presentedKey(request);
    if (!key) throw new AuthenticationError();
    const presented = Buffer.from(hashApiKey(key), 'hex');
    if (!known.some((hash) => hash.length === presented.length && timingSafeEqual(hash, presented))) {
      throw new AuthenticationError('the API key is not valid for this agency');
    }
  };
}
