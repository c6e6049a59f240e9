import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import {
  keywordCriterion,
  naceCriterion,
  overlapCriterion,
  productCriterion,
  sizeCriterion,
  type CriterionResult,
} from './criteria';
import { sectionOf } from './nace';
import { termSet } from './normalize';

export interface Suggestion {
  company: DirectoryCompany;
  /** 0..1, three decimals. */
  score: number;
  /** The matched criteria in words, e.g. "NACE class 28.15; HS 8483; keywords gear, distribut". */
  rationale: string;
}

interface Indexed {
  company: DirectoryCompany;
  terms: ReadonlySet<string>;
}

/** Relative weights; a criterion the request says nothing about (no product codes…) does not count. */
const WEIGHTS = {
  nace: 0.35,
  products: 0.15,
  keywords: 0.2,
  partnership: 0.1,
  languages: 0.1,
  size: 0.05,
  certifications: 0.05,
};

/**
 * An in-memory index of one agency's directory, rebuilt after each import. Companies are bucketed by
 * NACE section, so a request only scores companies of the sections it names.
 */
export class DirectoryIndex {
  private readonly bySection = new Map<string, Indexed[]>();

  private constructor(readonly size: number) {}

  static build(companies: readonly DirectoryCompany[]): DirectoryIndex {
    const index = new DirectoryIndex(companies.length);
    for (const company of companies) {
      const entry = {
        company,
        terms: termSet([...company.keywords, ...Object.values(company.descriptions)]),
      };
      for (const section of new Set(
        company.naceCodes.map((n) => sectionOf(n.code)).filter((s): s is string => s !== undefined),
      )) {
        const bucket = index.bySection.get(section) ?? [];
        bucket.push(entry);
        index.bySection.set(section, bucket);
      }
    }
    return index;
  }

  /** Best matches first; ties broken by company id so the order is stable. */
  search(profile: NeedsProfile, limit = 10): Suggestion[] {
    const requestTerms = termSet([
      profile.title,
      profile.summary,
      profile.description,
      ...profile.keywords,
      ...profile.translations.flatMap((t) => [t.title, t.summary]),
    ]);
    const seen = new Set<string>();
    const results: Suggestion[] = [];
    for (const section of new Set(profile.sectors.map((s) => sectionOf(s.code)))) {
      for (const entry of this.bySection.get(section ?? '') ?? []) {
        if (seen.has(entry.company.companyId)) continue;
        seen.add(entry.company.companyId);
        const suggestion = score(profile, requestTerms, entry);
        if (suggestion.score > 0) results.push(suggestion);
      }
    }
    return results
      .sort((a, b) => b.score - a.score || a.company.companyId.localeCompare(b.company.companyId))
      .slice(0, limit);
  }
}

function score(profile: NeedsProfile, requestTerms: ReadonlySet<string>, entry: Indexed): Suggestion {
  const { company } = entry;
  const criteria: Array<[number, CriterionResult | undefined]> = [
    [WEIGHTS.nace, naceCriterion(profile, company)],
    [WEIGHTS.products, profile.productCodes.length ? productCriterion(profile, company) : undefined],
    [WEIGHTS.keywords, requestTerms.size ? keywordCriterion(requestTerms, entry.terms) : undefined],
    [WEIGHTS.partnership, overlapCriterion('offers', profile.partnershipTypes, company.partnershipTypes)],
    [WEIGHTS.languages, overlapCriterion('speaks', profile.workingLanguages, company.languages)],
    [WEIGHTS.size, sizeCriterion(profile, company)],
    [
      WEIGHTS.certifications,
      profile.firm.certifications.length
        ? overlapCriterion('certified', profile.firm.certifications, company.certifications)
        : undefined,
    ],
  ];
  let total = 0;
  let weights = 0;
  const reasons: string[] = [];
  for (const [weight, result] of criteria) {
    if (!result) continue;
    weights += weight;
    total += weight * result.score;
    if (result.reason) reasons.push(result.reason);
  }
  return {
    company,
    score: Math.round((total / weights) * 1000) / 1000,
    rationale: reasons.join('; ').slice(0, 500),
  };
}
