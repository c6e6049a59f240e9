import {
  EvidenceChainChecker,
  evidenceLine,
  evidenceOfRecord,
  type EvidenceFailure,
  type EvidenceFields,
} from '@passport/trust';
import type { Database } from '@passport/agency-service/db/database';
import { appendEvidence, evidenceAfter } from '@passport/agency-service/store/evidence-log';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../support/agency-databases';

function fields(offset: number, verdict = 'verified'): EvidenceFields {
  return {
    direction: 'received',
    topic: 'passport.cooperation-requests.v1',
    partition: 2,
    offset: String(offset),
    key: Buffer.from(`req-${offset}`).toString('base64url'),
    keySha256: null,
    eventId: `evt-${offset}`,
    eventType: 'eu.motors4europe.passport.CooperationRequested.v1',
    source: '/passport/agencies/bwi',
    signerKeyId: null,
    signature: null,
    signedPayload: null,
    valueSha256: null,
    verdict,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, offset)).toISOString(),
  };
}

function chainFailures(lines: readonly string[]): EvidenceFailure[] {
  const failures: EvidenceFailure[] = [];
  const checker = new EvidenceChainChecker((failure) => failures.push(failure));
  lines.forEach((line, index) => checker.checkLine(index + 1, line));
  checker.finish(lines.length);
  return failures;
}

describe.each(AGENCY_DATABASE_ENGINES)('evidence log on %s', (_name, open) => {
  let db: Database;

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('chains entries across appends, and the export verifies', async () => {
    expect(await appendEvidence(db, [fields(1), fields(2, 'PASSPORT_KEY_UNKNOWN')])).toBe(2);
    expect(await appendEvidence(db, [fields(3)])).toBe(1);
    const entries = await evidenceAfter(db, 0, 10);
    expect(entries.map((entry) => [entry.seq, entry.verdict])).toEqual([
      [1, 'verified'],
      [2, 'PASSPORT_KEY_UNKNOWN'],
      [3, 'verified'],
    ]);
    expect(entries[2]?.prevHash).toBe(entries[1]?.entryHash);
    expect(chainFailures(entries.map(evidenceLine))).toEqual([]);
    expect((await evidenceAfter(db, 1, 1)).map((entry) => entry.seq)).toEqual([2]);
  });

  it('adds nothing for a record read again at the same topic, partition and offset', async () => {
    await appendEvidence(db, [fields(1), fields(2)]);
    expect(
      await appendEvidence(db, [
        fields(2),
        fields(3),
        { ...fields(1), recordedAt: new Date().toISOString() },
      ]),
    ).toBe(1);
    const entries = await evidenceAfter(db, 0, 10);
    expect(entries.map((entry) => entry.offset)).toEqual(['1', '2', '3']);
    expect(chainFailures(entries.map(evidenceLine))).toEqual([]);
  });

  it('shows an entry altered in the database to the chain check', async () => {
    await appendEvidence(db, [fields(1), fields(2), fields(3)]);
    await db.execute("UPDATE evidence_log SET verdict = 'verified', event_id = 'evt-other' WHERE seq = 2");
    const failures = chainFailures((await evidenceAfter(db, 0, 10)).map(evidenceLine));
    expect(failures.map(({ seq, kind }) => ({ seq, kind }))).toEqual([{ seq: 2, kind: 'hash-mismatch' }]);
  });

  it("stores a hostile record's entry: NUL bytes and oversized parts are left out, not refused", async () => {
    const hostile = {
      topic: 'passport.outcomes.v1',
      partition: 0,
      offset: '9',
      key: Buffer.alloc(5000, 0),
      value: Buffer.from([0, 0, 0]),
      headers: { ce_id: 'a\u0000b', ce_source: Buffer.from([0xff, 0, 0xfe]), passport_signature: '\u0000' },
    };
    const refusal = Object.assign(new Error('bad'), { code: 'PASSPORT_SIGNATURE_INVALID' });
    expect(await appendEvidence(db, [evidenceOfRecord(hostile, { refusal }, 'bwi', new Date())])).toBe(1);
    const [entry] = await evidenceAfter(db, 0, 1);
    expect(entry).toMatchObject({
      key: null,
      eventId: null,
      source: null,
      signature: null,
      signedPayload: null,
    });
    expect(entry?.keySha256).toMatch(/^[\w-]{43}$/);
  });
});
