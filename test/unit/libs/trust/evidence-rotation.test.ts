import {
  applyRotationStatement,
  chainEvidence,
  createRotationStatement,
  EvidenceChainChecker,
  evidenceLine,
  evidenceOfRecord,
  signRecord,
  type AgencyKeys,
  type EvidenceEntry,
  type EvidenceFailure,
  type TrustList,
} from '@passport/trust';
import { agencyKeys, manualClock, sampleRecord, T0, temporaryFolder, trustListOf } from './trust-fixtures';

const HOUR = 3_600_000;
const after = (hours: number) => new Date(T0.getTime() + hours * HOUR);

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
const clock = manualClock();

beforeEach(async () => {
  clock.set(T0);
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['bwi', 'aura'], clock.now);
});
afterEach(() => folder.cleanup());

/** aura's entry for a record bwi signs now with whichever key it signs with, judged at `at`. */
function received(offset: number, at: Date): Omit<EvidenceEntry, 'seq' | 'prevHash' | 'entryHash'> {
  const record = { ...sampleRecord('bwi'), headers: signRecord(sampleRecord('bwi'), keys.bwi!) };
  return evidenceOfRecord({ ...record, partition: 0, offset: String(offset) }, { signer: 'bwi' }, 'aura', at);
}

function failures(fields: ReadonlyArray<ReturnType<typeof received>>, list: TrustList) {
  let head: EvidenceEntry | undefined;
  const found: EvidenceFailure[] = [];
  const checker = new EvidenceChainChecker((failure) => found.push(failure), list);
  fields.forEach((one, index) => {
    head = chainEvidence(one, head);
    checker.checkLine(index + 1, evidenceLine(head));
  });
  checker.finish(fields.length);
  return found.map(({ seq, code }) => ({ seq, code }));
}

describe('evidence across a key rotation', () => {
  it('verifies entries signed by the old and the new key against the list in force, each at its own time', async () => {
    const before = trustListOf(keys);
    const byOldKey = received(1, T0);
    clock.set(after(1));
    const next = await keys.bwi!.rotate(after(24));
    const inForce = applyRotationStatement(
      before,
      createRotationStatement(keys.bwi!, next, after(72)),
      after(2),
    );
    clock.set(after(30));
    const byNewKey = received(2, after(30));
    expect(byNewKey.signerKeyId).not.toBe(byOldKey.signerKeyId);

    expect(failures([byOldKey, byNewKey], inForce)).toEqual([]);
    // Without the rotation the auditor does not know the new key.
    expect(failures([byOldKey, byNewKey], before)).toEqual([{ seq: 2, code: 'PASSPORT_KEY_UNKNOWN' }]);
    // An entry claiming the old key was accepted after its retirement is caught.
    expect(failures([{ ...byOldKey, recordedAt: after(100).toISOString() }], inForce)).toEqual([
      { seq: 1, code: 'PASSPORT_KEY_RETIRED' },
    ]);
  });
});
