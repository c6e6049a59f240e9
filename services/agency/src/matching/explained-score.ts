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
import { WEIGHTS } from './fast-score';

export interface Suggestion {
  company: DirectoryCompany;
  /** 0..1, three decimals. */
  score: number;
  /** The matched criteria in words, e.g. "NACE class 28.15; HS 8483; keywords gear, distribut". */
  rationale: string;
}

/** A company with its normalised terms (`companyTerms`). */
export interface ExplainableCompany {
  company: DirectoryCompany;
  terms: ReadonlySet<string>;
}

/** The score with its rationale, criterion by criterion; equal to the ranking score (see the unit test). */
export function explainedScore(
  profile: NeedsProfile,
  requestTerms: ReadonlySet<string>,
  entry: ExplainableCompany,
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
