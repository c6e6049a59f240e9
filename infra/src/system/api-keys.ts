import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Back-office API keys of the local system, one per agency, generated once into an owner-only file.
 * Services are given only the SHA-256 of each key.
 */
export function ensureApiKeys(file: string, agencyIds: readonly string[]): Record<string, string> {
  const keys: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const id of agencyIds) {
    if (!keys[id]) {
      keys[id] = `pp_${id}_${randomBytes(24).toString('base64url')}`;
      changed = true;
    }
  }
  if (changed) {
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return keys;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
