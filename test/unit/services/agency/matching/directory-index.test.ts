import { validateOutgoing, type NeedsProfile } from '@passport/events';
import { directoryCompany, type DirectoryCompany } from '@passport/agency-service/directory/company';
import { CompiledDirectory } from '@passport/agency-service/matching/compiled-directory';
import { DirectoryIndex } from '@passport/agency-service/matching/directory-index';
import { explainedScore } from '@passport/agency-service/matching/explained-score';
import { RequestScorer } from '@passport/agency-service/matching/request-scorer';
import { companyTerms, profileTerms } from '@passport/agency-service/matching/normalize';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import { loadAgencies } from '@passport/config';
import { terms } from '@passport/agency-service/matching/normalize';
import { cooperationRequestedSample } from '../../../../fixtures/events';

const company = (over: Partial<DirectoryCompany> & { companyId: string }): DirectoryCompany =>
  directoryCompany.parse({
    name: `Company ${over.companyId}`,
    naceCodes: [{ code: '46.69', revision: 'REV_2' }],
    descriptions: { en: 'General trading company' },
    sizeBand: 'MEDIUM',
    nutsRegion: 'ES511',
    ...over,
  });

const request = validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } };
const profile = request.payload.profile; // NACE 28.15 + 28.41, HS 848340, gears, DISTRIBUTION, de/en

describe('normalisation', () => {
  it("folds case, accents and inflection, and maps the regions' languages onto shared terms", () => {
    expect(terms('Zahnräder')).toEqual(terms('GEARS'));
    expect(terms('engranatges')).toEqual(['gear']);
    expect(terms('ingranaggi per macchine')).toEqual(['gear', 'machin']);
    expect(terms('Distribución de maquinaria')).toEqual(['distribut', 'machin']);
  });
});

describe('DirectoryIndex.search', () => {
  const index = DirectoryIndex.build([
    company({
      companyId: 'class',
      naceCodes: [{ code: '28.15', revision: 'REV_2' }],
      products: [{ scheme: 'HS', code: '848340' }],
      keywords: ['engranajes', 'distribución'],
      partnershipTypes: ['DISTRIBUTION'],
      languages: ['es', 'en'],
      sizeBand: 'SMALL',
    }),
    company({
      companyId: 'group',
      naceCodes: [{ code: '28.11', revision: 'REV_2' }],
      partnershipTypes: ['DISTRIBUTION'],
    }),
    company({ companyId: 'division', naceCodes: [{ code: '28.99', revision: 'REV_2' }] }),
    company({
      companyId: 'section',
      naceCodes: [{ code: '10.51', revision: 'REV_2' }],
      descriptions: { it: 'Latticini' },
    }),
    company({
      companyId: 'elsewhere',
      naceCodes: [{ code: '62.01', revision: 'REV_2' }],
      keywords: ['gears'],
    }),
  ]);

  it('ranks by NACE proximity and the other criteria, and explains each suggestion', () => {
    const results = index.search(profile);
    expect(results.map((r) => r.company.companyId)).toEqual(['class', 'group', 'division', 'section']);
    expect(results[0]?.rationale).toBe(
      'NACE class 28.15; HS 848340; keywords distribut, gear; offers DISTRIBUTION; speaks en; same size band SMALL',
    );
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 1);
    expect(results.every((r) => r.score > 0 && r.score <= 1)).toBe(true);
  });

  it('never suggests companies outside the sections the request names', () => {
    expect(index.search(profile).map((r) => r.company.companyId)).not.toContain('elsewhere');
  });

  it('honours the limit and is stable for equal scores', () => {
    expect(index.search(profile, 2).map((r) => r.company.companyId)).toEqual(['class', 'group']);
    expect(index.search(profile)).toEqual(index.search(profile));
  });
});

describe('the fast score used for ranking', () => {
  it('equals the explained score for every company of a generated directory', () => {
    const agency = loadAgencies().find((a) => a.id === 'promos');
    const companies = generateDemoDirectory(agency as NonNullable<typeof agency>, 500).map((row) =>
      directoryCompany.parse(row),
    );
    const directory = new CompiledDirectory(companies);
    const scorer = new RequestScorer(directory);
    const requestTerms = profileTerms(profile);
    scorer.load(profile, requestTerms);
    for (const [position, company] of companies.entries()) {
      const terms = companyTerms(company);
      expect({ id: company.companyId, score: scorer.score(position) }).toEqual({
        id: company.companyId,
        score: explainedScore(profile, requestTerms, { company, terms }).score,
      });
    }
    expect(requestTerms.size).toBeGreaterThan(0);
  });
});
