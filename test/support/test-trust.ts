import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencies } from '@passport/config';
import { signRecord, type RecordHeaders } from '@passport/trust';
import { prepareLocalTrust, type LocalTrust } from '@passport/infra/system/trust-list-file';

let trust: Promise<LocalTrust> | undefined;

/**
 * The agencies' keys and trust list for this test process, created once in a private temporary
 * directory: the services a test starts verify with it, and the test's own producers sign with it.
 */
export function testTrust(): Promise<LocalTrust> {
  trust ??= prepareLocalTrust(
    mkdtempSync(join(tmpdir(), 'passport-trust-')),
    loadAgencies().map((agency) => agency.id),
  );
  return trust;
}

/** A record as a test hands it to kafkajs or to consumeBatch. */
interface TestRecord {
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: RecordHeaders;
}

/** `message` with `agencyId`'s signature for `topic`, as that agency's service would send it. */
export function signAs<M extends TestRecord>(
  trust: LocalTrust,
  agencyId: string,
  topic: string,
  message: M,
): M {
  const keys = trust.keys[agencyId];
  if (keys === undefined) throw new Error(`no test keys for agency ${agencyId}`);
  const headers = signRecord(
    { topic, key: message.key, value: message.value, headers: message.headers },
    keys,
  );
  return { ...message, headers };
}
