import fc from 'fast-check';
import { cloudEventSource } from '@passport/events';
import {
  formatSignatureHeader,
  MAX_SIGNATURE_HEADER_BYTES,
  SIGNATURE_HEADER,
  signedBytes,
  signRecord,
  TrustList,
  verifyRecord,
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
  keys = await agencyKeys(folder.dir, ['bwi', 'aura'], clock.now);
  trustList = trustListOf(keys);
});
afterAll(() => folder.cleanup());

const signed = (record: KafkaRecord = sampleRecord()): KafkaRecord => ({
  ...record,
  headers: signRecord(record, keys.bwi!),
});
const refusal = (record: KafkaRecord, list = trustList, at = T0) => {
  try {
    verifyRecord(record, list, at);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
};

describe('signRecord / verifyRecord', () => {
  it('names the sending agency and key of a signed record', () => {
    const record = signed();
    expect(verifyRecord(record, trustList, T0)).toEqual({
      signer: 'bwi',
      keyId: keys.bwi!.current().signingKeyId,
    });
    const header = JSON.parse(String(record.headers![SIGNATURE_HEADER])) as Record<string, string>;
    expect(Object.keys(header)).toEqual(['keyid', 'sig']);
  });

  it('verifies what kafkajs hands a consumer: Buffer header values', () => {
    const record = signed();
    const asReceived = Object.fromEntries(
      Object.entries(record.headers!).map(([name, value]) => [name, Buffer.from(String(value))]),
    );
    expect(
      verifyRecord({ ...record, key: Buffer.from('req-0001'), headers: asReceived }, trustList, T0).signer,
    ).toBe('bwi');
  });

  it('refuses to sign a record whose ce_source is another agency', () => {
    expect(() => signRecord(sampleRecord('aura'), keys.bwi!)).toThrow(
      expect.objectContaining({ code: 'PASSPORT_SIGNER_MISMATCH' }),
    );
  });

  it('refuses an unsigned record', () => {
    expect(refusal(sampleRecord())).toBe('PASSPORT_SIGNATURE_MISSING');
  });

  it.each([
    ['topic', (r: KafkaRecord) => ({ ...r, topic: 'passport.outcomes.v1' })],
    ['key', (r: KafkaRecord) => ({ ...r, key: 'req-0002' })],
    ['key (to null)', (r: KafkaRecord) => ({ ...r, key: null })],
    ['value', (r: KafkaRecord) => ({ ...r, value: Buffer.concat([r.value!, Buffer.from([0])]) })],
    ['value (to null)', (r: KafkaRecord) => ({ ...r, value: null })],
  ])('refuses a record whose %s was changed', (_what, tamper) => {
    expect(refusal(tamper(signed()))).toBe('PASSPORT_SIGNATURE_INVALID');
  });

  const signedHeaderNames = Object.keys(sampleRecord().headers!).filter((name) => name !== 'traceparent');
  it.each(signedHeaderNames)('refuses a record whose %s header was changed, removed or repeated', (name) => {
    const record = signed();
    const headers = record.headers!;
    const { [name]: original, ...without } = headers;
    expect(refusal({ ...record, headers: { ...headers, [name]: `${String(original)}x` } })).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
    expect(refusal({ ...record, headers: without })).toBe('PASSPORT_SIGNATURE_INVALID');
    expect(
      refusal({ ...record, headers: { ...headers, [name]: [String(original), String(original)] } }),
    ).toBe('PASSPORT_SIGNATURE_INVALID');
  });

  it('refuses a record with an added ce_ header, and lets other headers change', () => {
    const record = signed();
    expect(refusal({ ...record, headers: { ...record.headers, ce_dataschema: 'x' } })).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
    expect(
      refusal({ ...record, headers: { ...record.headers, traceparent: 'changed', dlq_reason: 'x' } }),
    ).toBe('accepted');
  });

  it('refuses a changed signature, and one made for another record', () => {
    const record = signed();
    const header = JSON.parse(String(record.headers![SIGNATURE_HEADER])) as { keyid: string; sig: string };
    const flipped = Buffer.from(header.sig, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const withSig = (sig: Buffer) => ({
      ...record,
      headers: { ...record.headers, [SIGNATURE_HEADER]: formatSignatureHeader(header.keyid, sig) },
    });
    expect(refusal(withSig(flipped))).toBe('PASSPORT_SIGNATURE_INVALID');
    const other = signed({ ...sampleRecord(), key: 'req-0002' });
    expect(
      refusal({
        ...record,
        headers: { ...record.headers, [SIGNATURE_HEADER]: other.headers![SIGNATURE_HEADER] },
      }),
    ).toBe('PASSPORT_SIGNATURE_INVALID');
  });

  it('refuses a record signed by an agency other than its ce_source', () => {
    const claimsAura = sampleRecord('aura');
    const { keyId, signature } = keys.bwi!.sign(signedBytes(claimsAura));
    const headers = { ...claimsAura.headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) };
    expect(refusal({ ...claimsAura, headers })).toBe('PASSPORT_SIGNER_MISMATCH');
    expect(claimsAura.headers!.ce_source).toBe(cloudEventSource('aura'));
  });

  it('refuses a key the trust list does not name', () => {
    const onlyAura = TrustList.fromDocument({
      version: 1,
      agencies: { aura: trustList.toDocument().agencies.aura! },
    });
    expect(refusal(signed(), onlyAura)).toBe('PASSPORT_KEY_UNKNOWN');
  });

  it('refuses a retired key and a key before its notBefore', () => {
    const document = trustList.toDocument();
    document.agencies.bwi!.signingKeys[0]!.retiredAt = new Date(T0.getTime() + 1000).toISOString();
    const retired = TrustList.fromDocument(document);
    expect(refusal(signed(), retired, T0)).toBe('accepted');
    expect(refusal(signed(), retired, new Date(T0.getTime() + 1000))).toBe('PASSPORT_KEY_RETIRED');
    expect(refusal(signed(), trustList, new Date(T0.getTime() - 1))).toBe('PASSPORT_KEY_NOT_YET_VALID');
  });

  it.each([
    ['an oversized signature header', `${'x'.repeat(MAX_SIGNATURE_HEADER_BYTES)}`],
    ['a signature header that is not JSON', '{"keyid":'],
    ['a signature header with extra members', '{"keyid":"a","sig":"b","alg":"none"}'],
  ])('refuses %s before anything else', (_what, value) => {
    const record = signed();
    expect(refusal({ ...record, headers: { ...record.headers, [SIGNATURE_HEADER]: value } })).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
  });

  it('refuses an oversized ce_ header and an oversized key in linear time', () => {
    const record = signed();
    const huge = 'x'.repeat(1_000_000);
    const started = process.hrtime.bigint();
    expect(refusal({ ...record, headers: { ...record.headers, ce_subject: huge } })).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
    expect(refusal({ ...record, key: huge })).toBe('PASSPORT_SIGNATURE_INVALID');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  it('property: any change to the value or the key breaks the signature', () => {
    const record = signed();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 40 }), (value, key) => {
        const changed = { ...record, value: Buffer.from(value), key };
        const same = Buffer.from(value).equals(record.value!) && key === record.key;
        expect(refusal(changed)).toBe(same ? 'accepted' : 'PASSPORT_SIGNATURE_INVALID');
      }),
      { numRuns: 200 },
    );
  });

  it('property: arbitrary header text never makes the verifier throw anything but a refusal', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const record = signed();
        const code = refusal({ ...record, headers: { ...record.headers, [SIGNATURE_HEADER]: text } });
        expect(code).toMatch(/^PASSPORT_(SIGNATURE_INVALID|KEY_UNKNOWN)$/);
      }),
      { numRuns: 300 },
    );
  });
});
