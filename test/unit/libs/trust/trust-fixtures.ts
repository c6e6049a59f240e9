import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cloudEventSource } from '@passport/events';
import {
  loadOrCreateAgencyKeys,
  TrustList,
  trustListEntries,
  type AgencyKeys,
  type KafkaRecord,
  type TrustedKeyEntry,
} from '@passport/trust';

export const T0 = new Date('2026-01-01T00:00:00.000Z');

/** A clock tests move by hand. */
export function manualClock(start: Date = T0): { now: () => Date; set: (at: Date) => void } {
  let current = start;
  return { now: () => current, set: (at) => (current = at) };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function temporaryFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'passport-trust-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Keys for each agency in its own subfolder, on one clock. */
export async function agencyKeys(
  root: string,
  agencies: readonly string[],
  now: () => Date,
): Promise<Record<string, AgencyKeys>> {
  const keys: Record<string, AgencyKeys> = {};
  for (const agency of agencies)
    keys[agency] = await loadOrCreateAgencyKeys(path.join(root, agency), agency, { now });
  return keys;
}

/** The trust list every partner starts with: each agency's generations as they are now. */
export function trustListOf(keys: Record<string, AgencyKeys>): TrustList {
  const agencies: Record<string, { signingKeys: TrustedKeyEntry[]; encryptionKeys: TrustedKeyEntry[] }> = {};
  for (const [agency, held] of Object.entries(keys)) {
    const entries = held.generations().map((generation) => trustListEntries(generation));
    agencies[agency] = {
      signingKeys: entries.map((entry) => entry.signing),
      encryptionKeys: entries.map((entry) => entry.encryption),
    };
  }
  return TrustList.fromDocument({ version: 1, agencies });
}

export function sampleRecord(source = 'bwi'): KafkaRecord {
  return {
    topic: 'passport.introductions.v1',
    key: 'req-0001',
    value: Buffer.from([0, 0, 0, 0, 7, 1, 2, 3, 4]),
    headers: {
      ce_specversion: '1.0',
      ce_id: 'evt-0001',
      ce_source: cloudEventSource(source),
      ce_type: 'eu.motors4europe.passport.IntroductionRequested.v1',
      ce_time: '2026-01-01T00:00:00.000Z',
      ce_subject: 'req-0001',
      'content-type': 'application/avro',
      traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
    },
  };
}
