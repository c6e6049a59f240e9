import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudEventSource } from '@passport/events';
import { signRecord, type AgencyKeys, type KafkaRecord, type TrustList } from '@passport/trust';
import { prepareLocalTrust } from '@passport/infra/system/trust-list-file';

/** About the size of an encoded CandidatesProposed value with a few candidates. */
const VALUE_BYTES = 600;

/** A record as the agency service publishes it: CloudEvents headers, traceparent, a request id key. */
export function exchangeRecord(source: string): KafkaRecord {
  const requestId = randomUUID();
  return {
    topic: 'passport.candidate-replies.v1',
    key: requestId,
    value: Buffer.concat([Buffer.from([0, 0, 0, 0, 3]), randomBytes(VALUE_BYTES - 5)]),
    headers: {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_source: cloudEventSource(source),
      ce_type: 'eu.motors4europe.passport.CandidatesProposed.v1',
      ce_time: new Date().toISOString(),
      ce_subject: requestId,
      'content-type': 'application/avro',
      traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    },
  };
}

export interface CryptoFixtures {
  keys: Readonly<Record<string, AgencyKeys>>;
  trustList: TrustList;
  /** Records accio signed, distinct so no cache of a previous answer can flatter a figure. */
  signed: KafkaRecord[];
}

/** Fresh keys for two agencies in a temporary folder, and `count` records signed by accio. */
export async function cryptoFixtures(count: number): Promise<CryptoFixtures> {
  const trust = await prepareLocalTrust(mkdtempSync(join(tmpdir(), 'passport-bench-crypto-')), [
    'bwi',
    'accio',
  ]);
  const signer = trust.keys.accio as AgencyKeys;
  const signed = Array.from({ length: count }, () => {
    const record = exchangeRecord('accio');
    return { ...record, headers: signRecord(record, signer) };
  });
  return { keys: trust.keys, trustList: trust.trustList, signed };
}
