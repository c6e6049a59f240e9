import {
  chainEvidence,
  EvidenceChainChecker,
  evidenceLine,
  evidenceOfRecord,
  signEvidenceHead,
  verifyEvidenceHead,
  type AgencyKeys,
  type EvidenceEntry,
  type EvidenceFailure,
  type TrustList,
} from '@passport/trust';
import { agencyKeys, manualClock, sampleRecord, T0, temporaryFolder, trustListOf } from './trust-fixtures';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let trustList: TrustList;

beforeAll(async () => {
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['bwi', 'aura'], manualClock().now);
  trustList = trustListOf(keys);
});
afterAll(() => folder.cleanup());

function log(count: number): EvidenceEntry[] {
  let head: EvidenceEntry | undefined;
  return Array.from({ length: count }, (_, index) => {
    const record = { ...sampleRecord('aura'), partition: 0, offset: String(index) };
    head = chainEvidence(evidenceOfRecord(record, { refusal: new Error('unsigned') }, 'bwi', T0), head);
    return head;
  });
}

function failuresAgainst(entries: readonly EvidenceEntry[], head: { seq: number; entryHash: string }) {
  const failures: EvidenceFailure[] = [];
  const checker = new EvidenceChainChecker((failure) => failures.push(failure), trustList, head);
  entries.forEach((entry, index) => checker.checkLine(index + 1, evidenceLine(entry)));
  checker.finish(entries.length);
  return failures.map(({ seq, kind }) => ({ seq, kind }));
}

const issuedAt = T0.toISOString();

describe('signed evidence head', () => {
  it("verifies as the agency's statement of its log's last entry", () => {
    const entries = log(3);
    const statement = signEvidenceHead({ seq: 3, entryHash: entries[2]!.entryHash, issuedAt }, keys.bwi!);
    const head = verifyEvidenceHead(statement, trustList);
    expect(head).toEqual({ agencyId: 'bwi', seq: 3, entryHash: entries[2]!.entryHash, issuedAt });
    expect(failuresAgainst(entries, head)).toEqual([]);
  });

  it('shows an export cut short, and a log rewritten up to the head, as head failures', () => {
    const entries = log(4);
    const head = { seq: 4, entryHash: entries[3]!.entryHash };
    expect(failuresAgainst(entries.slice(0, 3), head)).toEqual([{ seq: 4, kind: 'head' }]);
    // The agency rebuilds its whole chain with entry 2 changed: every hash and link is consistent again.
    let rebuilt: EvidenceEntry | undefined;
    const rewritten = entries.map((entry) => {
      const { entryHash: _h, seq: _s, prevHash: _p, ...fields } = entry;
      rebuilt = chainEvidence(
        entry.seq === 2 ? { ...fields, recordedAt: '2026-02-01T00:00:00.000Z' } : fields,
        rebuilt,
      );
      return rebuilt;
    });
    expect(failuresAgainst(rewritten, head)).toEqual([{ seq: 4, kind: 'head' }]);
  });

  it.each([
    [
      'altered',
      (s: string) => s.replace(/"payload":"(.)/, (_m, c: string) => `"payload":"${c === 'A' ? 'B' : 'A'}`),
      'PASSPORT_SIGNATURE_INVALID',
    ],
    ['over the length limit', (s: string) => s.padEnd(4096, ' '), 'PASSPORT_SIGNATURE_INVALID'],
    ['not JSON', () => '{', 'PASSPORT_SIGNATURE_INVALID'],
  ])('refuses a head statement %s', (_name, change, code) => {
    const statement = signEvidenceHead({ seq: 1, entryHash: 'a'.repeat(64), issuedAt }, keys.bwi!);
    expect(() => verifyEvidenceHead(change(statement), trustList)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a head signed by another agency than it names', () => {
    const byAura = JSON.parse(signEvidenceHead({ seq: 1, entryHash: 'a'.repeat(64), issuedAt }, keys.aura!));
    const payload = JSON.parse(Buffer.from(byAura.payload, 'base64url').toString('utf8'));
    const claimsBwi = {
      ...byAura,
      payload: Buffer.from(JSON.stringify({ ...payload, agencyId: 'bwi' })).toString('base64url'),
    };
    // Re-signed by aura over the changed payload, as aura would forge it.
    const forged = signEvidenceHead.call(
      undefined,
      { seq: 1, entryHash: 'a'.repeat(64), issuedAt },
      {
        agencyId: 'bwi',
        sign: (bytes: Uint8Array) => keys.aura!.sign(bytes),
      },
    );
    expect(() => verifyEvidenceHead(JSON.stringify(claimsBwi), trustList)).toThrow(
      expect.objectContaining({ code: 'PASSPORT_SIGNATURE_INVALID' }),
    );
    expect(() => verifyEvidenceHead(forged, trustList)).toThrow(
      expect.objectContaining({ code: 'PASSPORT_SIGNER_MISMATCH' }),
    );
  });
});
