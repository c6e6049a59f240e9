import fc from 'fast-check';
import { loadAgencies, type Agency } from '@passport/config';
import {
  LANGUAGES,
  needsProfile,
  PARTNERSHIP_TYPES,
  SIZE_BANDS,
  validateOutgoing,
  type NeedsProfile,
} from '@passport/events';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import { DEMO_SECTORS } from '@passport/infra/system/demo-sectors';
import { directoryCompany, type DirectoryCompany } from '@passport/agency-service/directory/company';
import { naceCriterion } from '@passport/agency-service/matching/criteria';
import { DirectoryIndex } from '@passport/agency-service/matching/directory-index';
import {
  explainedScore,
  type ExplainableCompany,
  type Suggestion,
} from '@passport/agency-service/matching/explained-score';
import { companyTerms, profileTerms } from '@passport/agency-service/matching/normalize';
import { cooperationRequestedSample } from '../../../../fixtures/events';

/**
 * The index prunes most of the directory (NACE levels, upper bounds, the company id tie-break); this
 * holds it to the plain definition: score every company of the directory that shares at least a NACE
 * section with the request, sort by score and company id, take the first `limit`.
 */
function bruteForce(
  companies: readonly ExplainableCompany[],
  profile: NeedsProfile,
  limit: number,
): Suggestion[] {
  const requestTerms = profileTerms(profile);
  return companies
    .filter(({ company }) => naceCriterion(profile, company).score > 0)
    .map((entry) => explainedScore(profile, requestTerms, entry))
    .sort((a, b) => b.score - a.score || a.company.companyId.localeCompare(b.company.companyId))
    .slice(0, limit);
}

const agency = (id: string) => loadAgencies().find((a) => a.id === id) as Agency;

/**
 * Two regions' demo companies, varied beyond what the generator does: some NACE codes cut to a group, a
 * division or a section letter, some products cut to four digits or given as CPV, unknown sizes,
 * certificates in another case, ids starting with a capital (which `localeCompare` sorts unlike code
 * units), a third of the codes in NACE Rev. 2.1, and listed in reverse so positions do not follow the ids.
 */
function directory(): DirectoryCompany[] {
  const rows = [
    ...generateDemoDirectory(agency('accio'), 1000),
    ...generateDemoDirectory(agency('bwi'), 1000),
  ];
  return rows
    .map((row, i) => {
      const company = directoryCompany.parse(row);
      const cut = (code: string) =>
        i % 7 === 0 ? code.slice(0, 4) : i % 11 === 0 ? code.slice(0, 2) : i % 29 === 0 ? 'C' : code;
      return {
        ...company,
        companyId:
          i % 17 === 0 ? `X${company.companyId}` : i % 19 === 0 ? `a${company.companyId}` : company.companyId,
        naceCodes: company.naceCodes.map((n) => ({
          code: cut(n.code),
          revision: i % 3 === 0 ? ('REV_2_1' as const) : n.revision,
        })),
        products: company.products.map((p) =>
          i % 5 === 0
            ? { ...p, code: p.code.slice(0, 4) }
            : i % 13 === 0
              ? { scheme: 'CPV' as const, code: '42100000' }
              : p,
        ),
        sizeBand: i % 23 === 0 ? ('UNKNOWN' as const) : company.sizeBand,
        certifications: company.certifications.map((c) => (i % 3 === 0 ? c.toUpperCase() : c)),
      };
    })
    .reverse();
}

const sectors = Object.values(DEMO_SECTORS);
const naceCodes = [
  ...sectors.flatMap((s) => s.nace),
  ...sectors.flatMap((s) => s.nace.map((code) => code.slice(0, 4))),
  ...sectors.flatMap((s) => s.nace.map((code) => code.slice(0, 2))),
  'C',
  'J',
  'K',
  'M',
  'N',
  'A',
  '28.11',
  '01.11',
  '45',
];
const productCodes = [
  ...sectors.flatMap((s) => s.hs.map((code) => ({ scheme: 'HS' as const, code }))),
  ...sectors.flatMap((s) => s.hs.map((code) => ({ scheme: 'HS' as const, code: code.slice(0, 4) }))),
  { scheme: 'HS' as const, code: '84834000' },
  { scheme: 'HS' as const, code: '84' },
  { scheme: 'CPV' as const, code: '42100000' },
  { scheme: 'CPV' as const, code: '42000000' },
];
const words = sectors.flatMap((s) => Object.values(s.words).flat());
const certifications = ['ISO 9001', 'iso 14001', 'IATF 16949', 'ISO 13485', 'IFS Food', 'EN 9100'];

const base = (validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } }).payload
  .profile;

const someOf = <T>(values: readonly T[], minLength: number, maxLength: number) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength, maxLength });

/** Requests on the demo sectors' vocabulary, at every NACE level, with and without each optional criterion. */
const request: fc.Arbitrary<NeedsProfile> = fc
  .record({
    sectors: someOf(naceCodes, 1, 3),
    revision: fc.constantFrom('REV_2' as const, 'REV_2_1' as const),
    products: someOf(productCodes, 0, 2),
    keywords: someOf(words, 0, 5),
    title: fc.oneof(
      fc.constant(base.title),
      someOf(words, 1, 4).map((w) => w.join(' ')),
    ),
    withTranslations: fc.boolean(),
    partnershipTypes: someOf(PARTNERSHIP_TYPES, 1, 3),
    workingLanguages: someOf(LANGUAGES, 1, 3),
    sizeBand: fc.constantFrom(...SIZE_BANDS),
    certifications: someOf(certifications, 0, 2),
  })
  .map((r) =>
    needsProfile.parse({
      ...base,
      title: r.title,
      translations: r.withTranslations ? base.translations : [],
      sectors: r.sectors.map((code) => ({ code, revision: r.revision })),
      productCodes: r.products,
      keywords: r.keywords,
      partnershipTypes: r.partnershipTypes,
      workingLanguages: r.workingLanguages,
      firm: { ...base.firm, sizeBand: r.sizeBand, certifications: r.certifications },
    }),
  );

/** Mostly the sizes services ask for; now and then more than there are candidates. */
const limit = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 9 },
  { arbitrary: fc.constant(10_000), weight: 1 },
);

const summary = (suggestions: Suggestion[]) =>
  suggestions.map((s) => ({ id: s.company.companyId, score: s.score, rationale: s.rationale }));

describe('DirectoryIndex.search on a generated directory', () => {
  const companies = directory();
  const index = DirectoryIndex.build(companies);
  const explainable = companies.map((company) => ({
    company,
    terms: companyTerms(company),
  }));

  it('returns exactly the brute-force top suggestions: ids, scores and rationales', () => {
    fc.assert(
      fc.property(request, limit, (profile, limit) => {
        expect(summary(index.search(profile, limit))).toEqual(
          summary(bruteForce(explainable, profile, limit)),
        );
      }),
      { numRuns: 300, seed: 20_261_126 },
    );
  });

  it('finds ties at the cut: more companies share the last score than the limit lets in', () => {
    const profile = { ...base, sectors: [{ code: 'C', revision: 'REV_2' as const }] };
    const all = bruteForce(explainable, profile, 10_000);
    const tenth = all[9]?.score;
    expect(all.filter((s) => s.score === tenth).length).toBeGreaterThan(1);
    expect(summary(index.search(profile, 10))).toEqual(summary(all.slice(0, 10)));
  });
});
