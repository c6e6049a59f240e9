import crypto from 'node:crypto';
import {
  formatSignatureHeader,
  SIGNATURE_HEADER,
  signedBytes,
  signRecord,
  TrustList,
  verifyRecord,
  VerifyAhead,
  type AgencyKeys,
  type KafkaRecord,
} from '@passport/trust';
import { agencyKeys, manualClock, sampleRecord, T0, temporaryFolder, trustListOf } from './trust-fixtures';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let trustList: TrustList;
const clock = manualClock();

beforeAll(async () => {
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['bwi', 'aura', 'accio'], clock.now);
  trustList = trustListOf({ bwi: keys.bwi!, aura: keys.aura! });
});
afterAll(() => folder.cleanup());

const signedBy = (agency: string, key = `req-${agency}`): KafkaRecord => {
  const record = { ...sampleRecord(agency), key };
  return { ...record, headers: signRecord(record, keys[agency]!) };
};

/** The outcome as a comparable value: the sender, or the refusal's code. */
async function outcome(work: () => unknown): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** One of each verdict verifyRecord gives, so a batch covers every path. */
function mixedBatch(): KafkaRecord[] {
  const good = signedBy('bwi');
  const claimsAura = sampleRecord('aura');
  const byBwi = keys.bwi!.sign(signedBytes(claimsAura));
  return [
    good,
    { ...good, value: Buffer.from('tampered') },
    { ...good, headers: { ...good.headers, ce_id: 'evt-other' } },
    { ...good, headers: { ...good.headers, [SIGNATURE_HEADER]: undefined } },
    { ...good, headers: { ...good.headers, [SIGNATURE_HEADER]: '{"keyid":' } },
    { ...good, key: 'x'.repeat(100_000) },
    signedBy('accio'),
    {
      ...claimsAura,
      headers: {
        ...claimsAura.headers,
        [SIGNATURE_HEADER]: formatSignatureHeader(byBwi.keyId, byBwi.signature),
      },
    },
    signedBy('aura'),
    { ...good, headers: { ...good.headers, traceparent: 'changed' } },
  ];
}

describe('VerifyAhead', () => {
  it('gives each record of a batch the verdict verifyRecord gives, in order, pool-checked or not', async () => {
    const batch = [...mixedBatch(), ...mixedBatch(), ...mixedBatch()];
    const ahead = new VerifyAhead(batch, trustList, 12);
    const verdicts: unknown[] = [];
    for (const index of batch.keys()) verdicts.push(await outcome(() => ahead.verdict(index, trustList, T0)));
    const expected = await Promise.all(
      batch.map((record) => outcome(() => verifyRecord(record, trustList, T0))),
    );
    expect(verdicts).toEqual(expected);
    expect(verdicts.slice(0, 10)).toEqual([
      { signer: 'bwi', keyId: keys.bwi!.current().signingKeyId },
      'PASSPORT_SIGNATURE_INVALID',
      'PASSPORT_SIGNATURE_INVALID',
      'PASSPORT_SIGNATURE_MISSING',
      'PASSPORT_SIGNATURE_INVALID',
      'PASSPORT_SIGNATURE_INVALID',
      'PASSPORT_KEY_UNKNOWN',
      'PASSPORT_SIGNER_MISMATCH',
      { signer: 'aura', keyId: keys.aura!.current().signingKeyId },
      { signer: 'bwi', keyId: keys.bwi!.current().signingKeyId },
    ]);
  });

  it('judges each record by the trust list at its turn: a key added mid-batch counts from then on', async () => {
    const batch = [signedBy('accio', 'a'), signedBy('bwi'), signedBy('accio', 'b')];
    const withAccio = trustListOf({ bwi: keys.bwi!, aura: keys.aura!, accio: keys.accio! });
    const ahead = new VerifyAhead(batch, trustList);
    expect(await outcome(() => ahead.verdict(0, trustList, T0))).toBe('PASSPORT_KEY_UNKNOWN');
    expect(await outcome(() => ahead.verdict(1, trustList, T0))).toMatchObject({ signer: 'bwi' });
    expect(await outcome(() => ahead.verdict(2, withAccio, T0))).toMatchObject({ signer: 'accio' });
  });

  it('refuses by the list at its turn a key known when the batch started but gone or retired since', async () => {
    const batch = [signedBy('bwi', 'a'), signedBy('bwi', 'b'), signedBy('bwi', 'c')];
    const document = trustList.toDocument();
    document.agencies.bwi!.signingKeys[0]!.retiredAt = new Date(T0.getTime() + 1000).toISOString();
    const retired = TrustList.fromDocument(document);
    const onlyAura = TrustList.fromDocument({ version: 1, agencies: { aura: document.agencies.aura! } });
    const ahead = new VerifyAhead(batch, trustList);
    expect(await outcome(() => ahead.verdict(0, onlyAura, T0))).toBe('PASSPORT_KEY_UNKNOWN');
    expect(await outcome(() => ahead.verdict(1, retired, new Date(T0.getTime() + 1000)))).toBe(
      'PASSPORT_KEY_RETIRED',
    );
    expect(await outcome(() => ahead.verdict(2, retired, T0))).toMatchObject({ signer: 'bwi' });
  });

  it('takes the answers the thread pool has given, and checks on this thread what it was not given', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => signedBy('bwi', `req-${i}`));
    // Four in flight at a time: the pool is fed the next record from the back as each answer comes in.
    const pooled = new VerifyAhead(batch, trustList, 4);
    const alone = new VerifyAhead(batch, trustList, 0);
    // Let the pool's callbacks in: each answer arrives on a turn of the event loop.
    while (pooled.poolChecksPending() > 0) await new Promise((resolve) => setImmediate(resolve));
    const onThisThread = jest.spyOn(crypto, 'verify');
    try {
      for (const index of batch.keys())
        expect(await pooled.verdict(index, trustList, T0)).toMatchObject({ signer: 'bwi' });
      expect(onThisThread).toHaveBeenCalledTimes(0);
      for (const index of batch.keys())
        expect(await alone.verdict(index, trustList, T0)).toMatchObject({ signer: 'bwi' });
      expect(onThisThread).toHaveBeenCalledTimes(batch.length);
      await expect(pooled.verdict(12, trustList, T0)).rejects.toThrow(RangeError);
    } finally {
      onThisThread.mockRestore();
    }
  });
});
