import {
  chainEvidence,
  EVIDENCE_GENESIS,
  EvidenceChainChecker,
  evidenceLine,
  evidenceOfRecord,
  MAX_EVIDENCE_LINE_BYTES,
  signRecord,
  TrustList,
  type AgencyKeys,
  type EvidenceEntry,
  type EvidenceFailure,
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

/** Record n of a flow: bwi's record, signed, with its own event id. */
function record(n: number, source = 'bwi'): KafkaRecord {
  const base = sampleRecord(source);
  const unsigned = { ...base, headers: { ...base.headers, ce_id: `evt-${n}` } };
  return { ...unsigned, headers: signRecord(unsigned, keys[source]!) };
}

/** A log of `count` entries as aura received them, as export lines. */
function exportLines(count: number): string[] {
  let head: EvidenceEntry | undefined;
  const lines: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const fields = evidenceOfRecord(
      { ...record(n), partition: 0, offset: String(100 + n) },
      { signer: 'bwi' },
      'aura',
      T0,
    );
    head = chainEvidence(fields, head);
    lines.push(evidenceLine(head));
  }
  return lines;
}

function check(lines: readonly string[], list?: TrustList): EvidenceFailure[] {
  const failures: EvidenceFailure[] = [];
  const checker = new EvidenceChainChecker((failure) => failures.push(failure), list);
  lines.forEach((line, index) => checker.checkLine(index + 1, line));
  checker.finish(lines.length);
  expect(checker.failureCount).toBe(failures.length);
  return failures;
}

const summary = (failures: readonly EvidenceFailure[]) => failures.map(({ seq, kind }) => ({ seq, kind }));

describe('evidence chain', () => {
  it('accepts an intact log, signatures included, and links the first entry to the genesis hash', () => {
    const lines = exportLines(5);
    expect(check(lines, trustList)).toEqual([]);
    expect(JSON.parse(lines[0]!).prevHash).toBe(EVIDENCE_GENESIS);
    expect(JSON.parse(lines[1]!).prevHash).toBe(JSON.parse(lines[0]!).entryHash);
  });

  it('reports one altered byte of one entry with its sequence number', () => {
    const lines = exportLines(5);
    lines[2] = lines[2]!.replace('"offset":"103"', '"offset":"903"');
    expect(summary(check(lines))).toEqual([{ seq: 3, kind: 'hash-mismatch' }]);
  });

  it('reports a byte flipped anywhere in an entry, whatever it hits', () => {
    const original = exportLines(4);
    for (let at = 0; at < original[1]!.length; at += 7) {
      const lines = [...original];
      const flipped = String.fromCharCode(lines[1]!.charCodeAt(at) ^ 1);
      lines[1] = lines[1]!.slice(0, at) + flipped + lines[1]!.slice(at + 1);
      const failures = check(lines);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.some((failure) => failure.line === 2)).toBe(true);
    }
  });

  it('reports a deleted entry at the entry after the gap', () => {
    const lines = exportLines(5);
    lines.splice(2, 1);
    expect(summary(check(lines))).toEqual([
      { seq: 4, kind: 'sequence' },
      { seq: 4, kind: 'prev-link' },
    ]);
  });

  it('reports two swapped entries, each with its sequence number', () => {
    const lines = exportLines(5);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    const failures = summary(check(lines));
    expect(failures).toEqual(
      expect.arrayContaining([
        { seq: 3, kind: 'sequence' },
        { seq: 3, kind: 'prev-link' },
        { seq: 2, kind: 'sequence' },
        { seq: 2, kind: 'prev-link' },
      ]),
    );
  });

  it('reports an entry whose hash was recomputed after the change at the next link', () => {
    const lines = exportLines(4);
    const entry = JSON.parse(lines[1]!) as EvidenceEntry;
    const { entryHash: _old, seq: _seq, prevHash, ...fields } = { ...entry, eventId: 'evt-forged' };
    lines[1] = evidenceLine(chainEvidence(fields, { seq: 1, entryHash: prevHash }));
    expect(summary(check(lines))).toEqual([{ seq: 3, kind: 'prev-link' }]);
  });

  it('reports a signature that does not verify, naming its entry and code', () => {
    const lines = exportLines(3);
    const entry = JSON.parse(lines[1]!) as EvidenceEntry;
    // A whole consistent entry for another record whose signature is bwi's over a different value.
    const otherValue = evidenceOfRecord(
      { ...record(2), value: Buffer.from('other'), partition: 0, offset: '102' },
      { signer: 'bwi' },
      'aura',
      T0,
    );
    const forged = { ...otherValue, signature: entry.signature, signedPayload: entry.signedPayload };
    const relinked = [lines[0]!];
    let head = JSON.parse(lines[0]!) as EvidenceEntry;
    for (const fields of [forged, JSON.parse(lines[2]!) as EvidenceEntry]) {
      const { entryHash: _h, seq: _s, prevHash: _p, ...rest } = fields as EvidenceEntry;
      head = chainEvidence(rest, head);
      relinked.push(evidenceLine(head));
    }
    const failures = check(relinked, trustList);
    expect(failures.map(({ seq, kind, code }) => ({ seq, kind, code }))).toEqual([
      { seq: 2, kind: 'signature', code: 'PASSPORT_SIGNATURE_INVALID' },
    ]);
  });

  it('reports a signer the trust list does not know', () => {
    const lines = exportLines(2);
    const auraOnly = TrustList.fromDocument({
      version: 1,
      agencies: { aura: trustList.toDocument().agencies.aura! },
    });
    expect(check(lines, auraOnly).map(({ seq, code }) => ({ seq, code }))).toEqual([
      { seq: 1, code: 'PASSPORT_KEY_UNKNOWN' },
      { seq: 2, code: 'PASSPORT_KEY_UNKNOWN' },
    ]);
  });

  it('keeps a refused record with its verdict and does not recheck it as verified', () => {
    const unsigned = sampleRecord('bwi');
    const fields = evidenceOfRecord(
      { ...unsigned, partition: 1, offset: '7' },
      { refusal: Object.assign(new Error('no signature'), { code: 'PASSPORT_SIGNATURE_MISSING' }) },
      'aura',
      T0,
    );
    expect(fields).toMatchObject({ direction: 'received', signature: null, signerKeyId: null });
    const line = evidenceLine(chainEvidence(fields, undefined));
    expect(check([line], trustList)).toEqual([]);
  });

  it('refuses a malformed or over-long line and an empty log, naming the expected entry', () => {
    const lines = exportLines(3);
    lines[1] = '{"seq": 2, "oops"';
    lines[2] = 'x'.repeat(MAX_EVIDENCE_LINE_BYTES + 1);
    expect(summary(check(lines))).toEqual([
      { seq: 2, kind: 'malformed' },
      { seq: 3, kind: 'malformed' },
    ]);
    expect(summary(check([]))).toEqual([{ seq: 1, kind: 'empty' }]);
  });

  it('keeps no value and no personal data: only the value hash', () => {
    const fields = evidenceOfRecord(
      { ...record(1), partition: 0, offset: '1' },
      { signer: 'bwi' },
      'bwi',
      T0,
    );
    expect(fields.direction).toBe('sent');
    expect(JSON.stringify(fields)).not.toContain(Buffer.from([0, 0, 0, 0, 7, 1, 2, 3, 4]).toString('base64'));
    expect(fields.valueSha256).toMatch(/^[\w-]{43}$/);
  });

  it('keeps no control characters from a header (a NUL stops PostgreSQL), and the signature still re-verifies', () => {
    const base = sampleRecord('bwi');
    const hostile = {
      ...base,
      headers: { ...base.headers, ce_id: 'evt-\u0000-1', ce_type: 'x'.repeat(300) },
    };
    const signed = { ...hostile, headers: signRecord(hostile, keys.bwi!), partition: 0, offset: '1' };
    const fields = evidenceOfRecord(signed, { signer: 'bwi' }, 'aura', T0);
    expect(fields).toMatchObject({ eventId: null, eventType: null, source: '/passport/agencies/bwi' });
    expect(check([evidenceLine(chainEvidence(fields, undefined))], trustList)).toEqual([]);
  });

  it.each(['{"headers":[1]}', '[]', 'null'])(
    'reports a signed payload %s, with the signature code and not as a crash',
    (signedPayload) => {
      const [first] = exportLines(1);
      const { entryHash: _h, seq: _s, prevHash: _p, ...fields } = JSON.parse(first!) as EvidenceEntry;
      const line = evidenceLine(chainEvidence({ ...fields, signedPayload }, undefined));
      expect(check([line], trustList).map(({ kind, code }) => ({ kind, code }))).toEqual([
        { kind: 'signature', code: 'PASSPORT_SIGNATURE_INVALID' },
      ]);
    },
  );
});
