import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  chainEvidence,
  evidenceLine,
  evidenceOfRecord,
  MAX_EVIDENCE_LINE_BYTES,
  signEvidenceHead,
  signRecord,
  type AgencyKeys,
  type EvidenceEntry,
} from '@passport/trust';
import { passport } from '../../../support/console';
import {
  agencyKeys,
  manualClock,
  sampleRecord,
  T0,
  temporaryFolder,
  trustListOf,
} from '../../libs/trust/trust-fixtures';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let trustListFile: string;

beforeAll(async () => {
  folder = await temporaryFolder();
  keys = await agencyKeys(folder.dir, ['bwi', 'aura'], manualClock().now);
  trustListFile = path.join(folder.dir, 'trust-list.json');
  writeFileSync(trustListFile, JSON.stringify(trustListOf(keys).toDocument()));
});
afterAll(() => folder.cleanup());

/** aura's log of `count` records bwi signed, as export lines. */
function exportLines(count: number): string[] {
  let head: EvidenceEntry | undefined;
  return Array.from({ length: count }, (_, index) => {
    const base = sampleRecord('bwi');
    const record = { ...base, headers: { ...base.headers, ce_id: `evt-${index + 1}` } };
    const signed = { ...record, headers: signRecord(record, keys.bwi!), partition: 0, offset: String(index) };
    head = chainEvidence(evidenceOfRecord(signed, { signer: 'bwi' }, 'aura', T0), head);
    return evidenceLine(head);
  });
}

function logFile(name: string, lines: readonly string[]): string {
  const file = path.join(folder.dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('passport evidence verify', () => {
  it('accepts an intact log and says what it holds', async () => {
    const result = await passport([
      'evidence',
      'verify',
      logFile('good.jsonl', exportLines(4)),
      '--trust-list',
      trustListFile,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('4 entries (0 sent, 4 received)');
    expect(result.out).toContain('4 signatures checked again');
    expect(result.out).toContain('the log verifies');
  });

  it('reports every failure with its entry number and exits 1', async () => {
    const lines = exportLines(6);
    lines[1] = lines[1]!.replace('"evt-2"', '"evt-9"');
    lines.splice(3, 1);
    lines[4] = 'y'.repeat(MAX_EVIDENCE_LINE_BYTES + 10);
    const result = await passport(['evidence', 'verify', logFile('bad.jsonl', lines), '--json']);
    expect(result.code).toBe(1);
    const failures = result
      .lines<{ failure?: { seq: number; kind: string } }>()
      .flatMap((line) => (line.failure ? [{ seq: line.failure.seq, kind: line.failure.kind }] : []));
    expect(failures).toEqual([
      { seq: 2, kind: 'hash-mismatch' },
      { seq: 5, kind: 'sequence' },
      { seq: 5, kind: 'prev-link' },
      { seq: 6, kind: 'malformed' },
    ]);
    expect(result.err).toContain('PASSPORT_EVIDENCE_INVALID');
  });

  it('refuses an unknown action as a usage error', async () => {
    const result = await passport(['evidence', 'check', 'file.jsonl']);
    expect(result.code).toBe(2);
  });

  it('checks the log against the signed head: a log cut short fails, a forged head fails', async () => {
    const lines = exportLines(5);
    const last = JSON.parse(lines[4]!) as EvidenceEntry;
    const headFile = path.join(folder.dir, 'head.json');
    writeFileSync(
      headFile,
      signEvidenceHead({ seq: 5, entryHash: last.entryHash, issuedAt: T0.toISOString() }, keys.aura!),
    );
    const whole = logFile('whole.jsonl', lines);
    const cut = logFile('cut.jsonl', lines.slice(0, 4));
    const args = (file: string) => [
      'evidence',
      'verify',
      file,
      '--trust-list',
      trustListFile,
      '--head',
      headFile,
    ];

    expect((await passport(args(whole))).code).toBe(0);
    const shortened = await passport([...args(cut), '--json']);
    expect(shortened.code).toBe(1);
    expect(shortened.lines<{ failure?: { seq: number; kind: string } }>()[0]?.failure).toMatchObject({
      seq: 5,
      kind: 'head',
    });

    writeFileSync(headFile, '{"payloadType":"application/vnd.passport.evidence-head.v1+json"}');
    const forged = await passport(args(whole));
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('PASSPORT_SIGNATURE_INVALID');
    expect((await passport(['evidence', 'verify', whole, '--head', headFile])).code).toBe(2);
  });

  it('says how far it got on a long log, on stderr', async () => {
    const result = await passport(['evidence', 'verify', logFile('long.jsonl', exportLines(10_001))]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('10000 entries checked');
    expect(result.out).toContain('10001 entries');
  });
});
