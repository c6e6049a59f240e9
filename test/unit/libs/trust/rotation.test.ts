import {
  applyRotationStatement,
  createRotationStatement,
  signRecord,
  verifyRecord,
  type AgencyKeys,
  type KafkaRecord,
  type TrustList,
} from '@passport/trust';
import { agencyKeys, manualClock, sampleRecord, T0, temporaryFolder, trustListOf } from './trust-fixtures';

const HOUR = 3_600_000;
const after = (hours: number) => new Date(T0.getTime() + hours * HOUR);

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let partnerList: TrustList;
const clock = manualClock();

beforeEach(async () => {
  clock.set(T0);
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['bwi', 'aura'], clock.now);
  partnerList = trustListOf(keys);
});
afterEach(() => folder.cleanup());

const sign = (): KafkaRecord => ({ ...sampleRecord(), headers: signRecord(sampleRecord(), keys.bwi!) });
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('key rotation by a statement signed with the current key', () => {
  it('loses and rejects nothing during the overlap, and retires the old key afterwards', async () => {
    const signedByOld = sign();
    clock.set(after(1));
    const next = await keys.bwi!.rotate(after(24));
    const statement = createRotationStatement(keys.bwi!, next, after(72));
    partnerList = applyRotationStatement(partnerList, statement, after(2));
    expect(applyRotationStatement(partnerList, statement, after(2)).toDocument()).toEqual(
      partnerList.toDocument(),
    );

    clock.set(after(12));
    const stillOld = sign();
    expect(verifyRecord(stillOld, partnerList, after(12)).keyId).toBe(
      keys.bwi!.generations()[0]!.signingKeyId,
    );
    clock.set(after(24));
    const byNew = sign();
    expect(verifyRecord(byNew, partnerList, after(24)).keyId).toBe(next.signingKeyId);
    // Records the old key signed before the switch still verify while the overlap lasts.
    expect(verifyRecord(signedByOld, partnerList, after(48)).signer).toBe('bwi');
    expect(codeOf(() => verifyRecord(signedByOld, partnerList, after(72)))).toBe('PASSPORT_KEY_RETIRED');
    expect(verifyRecord(byNew, partnerList, after(72)).signer).toBe('bwi');
    expect(partnerList.encryptionKeyFor('bwi', after(24))?.keyId).toBe(next.encryptionKeyId);
  });

  it('refuses a record signed by a new key no statement introduced', async () => {
    clock.set(after(1));
    await keys.bwi!.rotate(after(2));
    clock.set(after(2));
    expect(codeOf(() => verifyRecord(sign(), partnerList, after(2)))).toBe('PASSPORT_KEY_UNKNOWN');
  });

  it('refuses a statement from another agency’s key, a tampered one and one without overlap', async () => {
    const next = await keys.bwi!.rotate(after(24));
    const statement = createRotationStatement(keys.bwi!, next, after(72));
    const envelope = JSON.parse(statement) as { payload: string; signatures: unknown[] };
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const withPayload = (changed: Record<string, unknown>) =>
      JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(changed)).toString('base64url') });

    expect(
      codeOf(() =>
        applyRotationStatement(partnerList, withPayload({ ...payload, agencyId: 'aura' }), after(1)),
      ),
    ).toBe('PASSPORT_KEY_UNKNOWN');
    expect(
      codeOf(() =>
        applyRotationStatement(
          partnerList,
          withPayload({ ...payload, retirePreviousAt: after(80).toISOString() }),
          after(1),
        ),
      ),
    ).toBe('PASSPORT_SIGNATURE_INVALID');
    expect(
      codeOf(() =>
        applyRotationStatement(
          partnerList,
          withPayload({ ...payload, retirePreviousAt: after(10).toISOString() }),
          after(1),
        ),
      ),
    ).toBe('PASSPORT_TRUST_LIST_INVALID');
    expect(codeOf(() => createRotationStatement(keys.bwi!, next, after(24)))).toBe(
      'PASSPORT_TRUST_LIST_INVALID',
    );
    expect(codeOf(() => applyRotationStatement(partnerList, 'x'.repeat(5000), after(1)))).toBe(
      'PASSPORT_TRUST_LIST_INVALID',
    );
    const reversed = JSON.stringify({ ...envelope, signatures: [...envelope.signatures].reverse() });
    expect(codeOf(() => applyRotationStatement(partnerList, reversed, after(1)))).toBe(
      'PASSPORT_SIGNATURE_INVALID',
    );
  });
});
