import { validateOutgoing, type NeedsProfile } from '@passport/events';
import { directoryCompany } from '@passport/agency-service/directory/company';
import { DirectoryIndex } from '@passport/agency-service/matching/directory-index';
import { naceScore } from '@passport/agency-service/matching/fast-score';
import { naceProximity, sectionOf, type NaceCode } from '@passport/agency-service/matching/nace';
import { cooperationRequestedSample } from '../../../../fixtures/events';

const rev2 = (code: string): NaceCode => ({ code, revision: 'REV_2' });
const rev21 = (code: string): NaceCode => ({ code, revision: 'REV_2_1' });

describe('NACE sections by revision', () => {
  it.each([
    ['62.01', 'J', 'K'],
    ['59.11', 'J', 'J'],
    ['64.19', 'K', 'L'],
    ['68.20', 'L', 'M'],
    ['71.12', 'M', 'N'],
    ['86.10', 'Q', 'R'],
    ['99.00', 'U', 'V'],
    ['28.15', 'C', 'C'],
  ])('puts %s in Rev. 2 section %s and Rev. 2.1 section %s', (code, inRev2, inRev21) => {
    expect(sectionOf(rev2(code))?.letter).toBe(inRev2);
    expect(sectionOf(rev21(code))?.letter).toBe(inRev21);
  });

  it('knows no division 45 in Rev. 2.1, no section V in Rev. 2 and no table for UNKNOWN', () => {
    expect(sectionOf(rev21('45.11'))).toBeUndefined();
    expect(sectionOf(rev2('V'))).toBeUndefined();
    expect(sectionOf({ code: 'C', revision: 'UNKNOWN' })).toBeUndefined();
  });
});

describe('naceProximity', () => {
  it('matches a Rev. 2.1 section by the Rev. 2.1 table', () => {
    expect(naceProximity(rev21('K'), rev21('62.01'))).toEqual({ score: 0.25, level: 'section', shared: 'K' });
    expect(naceProximity(rev21('K'), rev21('64.19'))).toBeUndefined();
    expect(naceProximity(rev21('V'), rev21('99.00'))).toMatchObject({ score: 0.25, level: 'section' });
    expect(naceProximity(rev21('L'), rev21('64.19'))).toMatchObject({ level: 'section' });
  });

  it('matches a Rev. 2 request as before', () => {
    expect(naceProximity(rev2('K'), rev2('64.19'))).toMatchObject({ level: 'section', shared: 'K' });
    expect(naceProximity(rev2('J'), rev2('62.01'))).toMatchObject({ level: 'section', shared: 'J' });
    expect(naceProximity(rev2('U'), rev2('99.00'))).toMatchObject({ level: 'section' });
    expect(naceProximity(rev2('28.15'), rev2('28.15'))).toMatchObject({ score: 1, level: 'class' });
    expect(naceProximity(rev2('28.15'), rev2('28.11'))).toMatchObject({ score: 0.75, level: 'group' });
    expect(naceProximity(rev2('28.15'), rev2('28.99'))).toMatchObject({ score: 0.5, level: 'division' });
    expect(naceProximity(rev2('28.15'), rev2('10.51'))).toMatchObject({ score: 0.25, shared: 'C' });
  });

  it('compares sections across revisions by the divisions they span', () => {
    expect(naceProximity(rev21('K'), rev2('62.01'))).toMatchObject({ level: 'section', shared: 'J' });
    expect(naceProximity(rev21('K'), rev2('64.19'))).toBeUndefined();
    expect(naceProximity(rev2('K'), rev21('64.19'))).toMatchObject({ level: 'section', shared: 'L' });
    expect(naceProximity(rev2('J'), rev21('K'))).toMatchObject({ level: 'section' });
    expect(naceProximity(rev2('62.01'), rev21('62.01'))).toMatchObject({ level: 'class' });
  });

  it('finds no section for an UNKNOWN revision, only shared digits', () => {
    expect(naceProximity({ code: 'C', revision: 'UNKNOWN' }, rev2('28.15'))).toBeUndefined();
    expect(naceProximity({ code: '28.15', revision: 'UNKNOWN' }, rev2('28.99'))).toMatchObject({
      level: 'division',
    });
  });

  it('scores every pair as the fast path does', () => {
    const codes = ['C', 'J', 'K', 'L', 'U', 'V', '28', '28.1', '28.15', '62.01', '64.19', '99.00', '45.11'];
    const all = codes.flatMap((code) => [rev2(code), rev21(code), { code, revision: 'UNKNOWN' as const }]);
    for (const a of all)
      for (const b of all)
        expect({ a, b, score: naceScore(a.code, b.code, sectionOf(a), sectionOf(b)) }).toEqual({
          a,
          b,
          score: naceProximity(a, b)?.score ?? 0,
        });
  });
});

describe('a search with Rev. 2.1 sectors', () => {
  const company = (companyId: string, nace: NaceCode) =>
    directoryCompany.parse({
      companyId,
      name: companyId,
      naceCodes: [nace],
      descriptions: { en: 'Services' },
      sizeBand: 'SMALL',
      nutsRegion: 'ES511',
    });
  const index = DirectoryIndex.build([
    company('programming-rev2', rev2('62.01')),
    company('programming-rev21', rev21('62.10')),
    company('bank-rev2', rev2('64.19')),
    company('bank-rev21', rev21('64.19')),
    company('embassy-rev21', rev21('99.00')),
  ]);
  const base = (validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } })
    .payload.profile;
  const found = (sectors: NaceCode[]) =>
    index
      .search({ ...base, sectors }, 10)
      .map((s) => s.company.companyId)
      .sort();

  it('finds the computer programmers of both revisions in Rev. 2.1 section K, and no bank', () => {
    expect(found([rev21('K')])).toEqual(['programming-rev2', 'programming-rev21']);
  });

  it('finds the banks in Rev. 2.1 section L and in Rev. 2 section K', () => {
    expect(found([rev21('L')])).toEqual(['bank-rev2', 'bank-rev21']);
    expect(found([rev2('K')])).toEqual(['bank-rev2', 'bank-rev21']);
  });

  it('finds extraterritorial bodies in Rev. 2.1 section V', () => {
    expect(found([rev21('V')])).toEqual(['embassy-rev21']);
  });
});
