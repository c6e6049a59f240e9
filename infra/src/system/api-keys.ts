import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * One secret per agency, generated once into an owner-only JSON file and kept across runs; agencies
 * added to the list later get theirs on the next run.
 */
function ensurePerAgency(
  file: string,
  agencyIds: readonly string[],
  generate: (agencyId: string) => string,
): Record<string, string> {
  const secrets: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const id of agencyIds) {
    if (!secrets[id]) {
      secrets[id] = generate(id);
      changed = true;
    }
  }
  if (changed) {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

/** Back-office API keys of the local system; services are given only the SHA-256 of each key. */
export function ensureApiKeys(file: string, agencyIds: readonly string[]): Record<string, string> {
  return ensurePerAgency(file, agencyIds, (id) => `pp_${id}_${randomBytes(24).toString('base64url')}`);
}

/** Each agency's CANDIDATE_REF_SECRET: 256 random bits, known to that agency's service alone. */
export function ensureCandidateRefSecrets(
  file: string,
  agencyIds: readonly string[],
): Record<string, string> {
  return ensurePerAgency(file, agencyIds, () => randomBytes(32).toString('base64url'));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
