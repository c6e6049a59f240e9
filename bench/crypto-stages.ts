import { createHash, createPrivateKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  openSealed,
  preAuthEncoding,
  publicKeyFromRaw,
  rawPublicKeyOf,
  readSignatureHeader,
  RECORD_PAYLOAD_TYPE,
  recordPayload,
  sealFor,
  signedBytes,
  signRecord,
  verifyRecord,
  VerifyAhead,
  type AgencyKeys,
  type KafkaRecord,
} from '@passport/trust';
import { exchangeRecord, type CryptoFixtures } from './crypto-fixtures';
import { microsPerCall, microsPerSequentialCall } from './timing';

/** Calls per timed round: short rounds, so fewer of them are cut by the scheduler. */
const CALLS = 500;
/** Records verified together, as a fetched batch: kafkajs hands the consumer batches of this order. */
export const BATCH = 500;
const SEALS = 300;
const BATCH_ROUNDS = 8;
/**
 * What the consumer spends per event besides verification (decode, validate, apply), about what the
 * pipeline benchmark measures without verification on this machine.
 */
export const MAIN_THREAD_WORK_US = 75;

/** What verifying one consumed record costs, stage by stage, and the whole of verifyRecord. */
export function verificationStages(records: readonly KafkaRecord[], trust: CryptoFixtures) {
  const at = new Date();
  const pick = (index: number) => records[index % records.length] as KafkaRecord;
  const payloads = records.map((record) => recordPayload(record));
  const bytes = records.map((record) => signedBytes(record));
  const headers = records.map((record) => readSignatureHeader(record.headers));
  const { keyId } = headers[0] as { keyId: string };
  const owner = trust.trustList.ownerOfSigningKey(keyId) as string;
  const lookup = trust.trustList.signingKey(owner, keyId, at);
  if (lookup.status !== 'valid') throw new Error('the bench signer is not valid in its own trust list');
  const verifier = trust.trustList.verifierOf(lookup.key);
  const rawPublic = rawPublicKeyOf(verifier);
  const n = records.length;
  return microsPerCall(CALLS, {
    signature_header_us: (i) => readSignatureHeader(pick(i).headers),
    value_sha256_us: (i) =>
      createHash('sha256')
        .update(pick(i).value as Buffer)
        .digest(),
    payload_json_base64_sha256_us: (i) => recordPayload(pick(i)),
    pae_us: (i) => preAuthEncoding(RECORD_PAYLOAD_TYPE, payloads[i % n] as Buffer),
    trust_lookup_us: () => {
      const agency = trust.trustList.ownerOfSigningKey(keyId) as string;
      const found = trust.trustList.signingKey(agency, keyId, at);
      return found.status === 'valid' && trust.trustList.verifierOf(found.key);
    },
    public_key_import_us: () => publicKeyFromRaw('Ed25519', rawPublic),
    raw_verify_us: (i) =>
      verify(null, bytes[i % n] as Buffer, verifier, (headers[i % n] as { signature: Buffer }).signature),
    verify_record_us: (i) => verifyRecord(pick(i), trust.trustList, at),
  });
}

/** What signing one produced record costs: the raw signature, a key import it avoids, signRecord. */
export function signingStages(trust: CryptoFixtures) {
  const signer = trust.keys.accio as AgencyKeys;
  const records = Array.from({ length: CALLS }, () => exchangeRecord('accio'));
  const bytes = records.map((record) => signedBytes(record));
  const { privateKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const n = records.length;
  return microsPerCall(CALLS, {
    raw_sign_us: (i) => sign(null, bytes[i % n] as Buffer, privateKey),
    private_key_import_us: () => createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    sign_record_us: (i) => signRecord(records[i % n] as KafkaRecord, signer),
  });
}

/** CPU work that stands for what the consumer does per event besides verification (decode, apply). */
function mainThreadWork(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
}

/**
 * A fetched batch as the consumer goes through it, with MAIN_THREAD_WORK_US of other work per record:
 * verified inline (verifyRecord) or ahead on the thread pool (VerifyAhead), against the work alone.
 */
export async function batchVerification(trust: CryptoFixtures) {
  const records = trust.signed.slice(0, BATCH);
  const at = new Date();
  const list = trust.trustList;
  type Mode = 'batch_work_only_us' | 'batch_verify_inline_us' | 'batch_verify_ahead_us';
  /** How each mode gets a record's verdict; the ahead mode's preparation is timed with it. */
  const modes: Record<Mode, () => (index: number) => unknown> = {
    batch_work_only_us: () => () => undefined,
    batch_verify_inline_us: () => (index) => verifyRecord(records[index] as KafkaRecord, list, at),
    batch_verify_ahead_us: () => {
      const ahead = new VerifyAhead(records, list);
      return (index) => ahead.verdict(index, list, at);
    },
  };
  const best: Record<Mode, number> = {
    batch_work_only_us: Infinity,
    batch_verify_inline_us: Infinity,
    batch_verify_ahead_us: Infinity,
  };
  // The modes take turns in each round, as the stages do, and the fastest round counts.
  for (let round = 0; round <= BATCH_ROUNDS; round += 1)
    for (const mode of Object.keys(modes) as Mode[]) {
      const started = performance.now();
      const verdictOf = modes[mode]();
      for (const index of records.keys()) {
        await verdictOf(index);
        mainThreadWork(MAIN_THREAD_WORK_US);
      }
      const micros = ((performance.now() - started) * 1000) / records.length;
      if (round > 0) best[mode] = Math.min(best[mode], micros);
    }
  return best;
}

/** HPKE sealing of one contact field to a partner and opening it there, each awaited alone. */
export async function sealingStages(trust: CryptoFixtures) {
  const recipient = trust.trustList.encryptionKeyFor('bwi', new Date());
  if (!recipient) throw new Error('bwi has no encryption key in the bench trust list');
  const context = (i: number) => ({
    eventId: `evt-${i}`,
    eventType: 'IntroductionAccepted',
    requestId: `req-${i}`,
    field: 'candidateContact',
  });
  const contact = JSON.stringify({
    name: 'Maria Rossi',
    email: 'maria.rossi@example.com',
    phone: '+39 02 1234 5678',
  });
  const sealed = await Promise.all(
    Array.from({ length: SEALS }, (_, i) => sealFor(recipient, contact, context(i))),
  );
  return {
    seal_us: await microsPerSequentialCall(SEALS, (i) => sealFor(recipient, contact, context(i))),
    open_us: await microsPerSequentialCall(SEALS, (i) =>
      openSealed(sealed[i] as string, context(i), trust.keys.bwi as AgencyKeys),
    ),
  };
}
