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
import { fastScore, prepareCompany, prepareRequest, WEIGHTS, type PreparedCompany } from './fast-score';
import { termSet } from './normalize';

export interface Suggestion {
  company: DirectoryCompany;
  /** 0..1, three decimals. */
  score: number;
  /** The matched criteria in words, e.g. "NACE class 28.15; HS 8483; keywords gear, distribut". */
  rationale: string;
}

type Indexed = PreparedCompany;

/** Bucket keys of a NACE code from the narrowest level to the widest: group (28.1), division (28), section (C). */
function levels(code: string): Array<string | undefined> {
  const numeric = /^\d/.test(code);
  return [
    numeric && code.length >= 4 ? `g:${code.slice(0, 4)}` : undefined,
    numeric ? `d:${code.slice(0, 2)}` : undefined,
    `s:${sectionOf(code) ?? ''}`,
  ];
}

/**
 * An in-memory index of one agency's directory, rebuilt after each import. Companies are bucketed by NACE
 * group, division and section; a search scores the request's groups first and widens to divisions and
 * sections only while it has fewer suggestions than asked for, so a request scores a few thousand
 * companies rather than a whole manufacturing section.
 */
export class DirectoryIndex {
  private readonly buckets = new Map<string, Indexed[]>();

  private constructor(readonly size: number) {}

  static build(companies: readonly DirectoryCompany[]): DirectoryIndex {
    const index = new DirectoryIndex(companies.length);
    for (const [position, company] of companies.entries()) {
      const entry = prepareCompany(
        company,
        termSet([...company.keywords, ...Object.values(company.descriptions)]),
        position,
      );
      const keys = new Set(
        company.naceCodes.flatMap((n) => levels(n.code)).filter((key): key is string => key !== undefined),
      );
      for (const key of keys) {
        const bucket = index.buckets.get(key) ?? [];
        bucket.push(entry);
        index.buckets.set(key, bucket);
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
    const request = prepareRequest(profile, requestTerms);
    const seen = new Uint8Array(this.size);
    const results: Array<{ entry: Indexed; value: number }> = [];
    for (let level = 0; level < 3 && results.length < limit; level += 1) {
      for (const key of new Set(profile.sectors.map((s) => levels(s.code)[level]))) {
        for (const entry of key === undefined ? [] : (this.buckets.get(key) ?? [])) {
          if (seen[entry.position] === 1) continue;
          seen[entry.position] = 1;
          const value = fastScore(request, entry);
          if (value > 0) results.push({ entry, value });
        }
      }
    }
    return results
      .sort((a, b) => b.value - a.value || a.entry.company.companyId.localeCompare(b.entry.company.companyId))
      .slice(0, limit)
      .map(({ entry }) => explainedScore(profile, requestTerms, entry));
  }
}

/** The score with its rationale, criterion by criterion; equal to fastScore (see the unit test). */
export function explainedScore(
  profile: NeedsProfile,
  requestTerms: ReadonlySet<string>,
  entry: Indexed,
): Suggestion {
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
    if (result.reason) reasons.push(result.reason());
  }
  return {
    company,
    score: Math.round((total / weights) * 1000) / 1000,
    rationale: reasons.join('; ').slice(0, 500),
  };
}
