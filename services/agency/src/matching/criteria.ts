import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { productPairScore, SIZE_ORDER, sizeScore } from './fast-score';
import { naceProximity, type NaceMatch } from './nace';

/** One criterion's contribution: a score in 0..1 and, when it matched, the words for the rationale. */
export interface CriterionResult {
  score: number;
  /** Built only for the suggestions that are shown: scoring a directory must not build strings. */
  reason?: () => string;
}

export function naceCriterion(profile: NeedsProfile, company: DirectoryCompany): CriterionResult {
  let best: NaceMatch | undefined;
  for (const wanted of profile.sectors) {
    for (const offered of company.naceCodes) {
      const match = naceProximity(wanted, offered);
      if (match && (!best || match.score > best.score)) best = match;
    }
  }
  if (!best) return { score: 0 };
  const { score, level, shared } = best;
  return { score, reason: () => `NACE ${level} ${shared}` };
}

/** HS codes share more leading digits the closer the products are; CPV likewise by its first digits. */
export function productCriterion(profile: NeedsProfile, company: DirectoryCompany): CriterionResult {
  let best = 0;
  let reason: (() => string) | undefined;
  for (const wanted of profile.productCodes) {
    for (const offered of company.products.filter((p) => p.scheme === wanted.scheme)) {
      const { score, common } = productPairScore(wanted, offered);
      if (score > best) {
        best = score;
        const label = `${wanted.scheme} ${offered.code.slice(0, common)}`;
        reason = () => label;
      }
    }
  }
  return reason ? { score: best, reason } : { score: 0 };
}

export function keywordCriterion(
  requested: ReadonlySet<string>,
  offered: ReadonlySet<string>,
): CriterionResult {
  let matched = 0;
  for (const term of requested) if (offered.has(term)) matched += 1;
  if (matched === 0) return { score: 0 };
  const names = () =>
    [...requested]
      .filter((term) => offered.has(term))
      .slice(0, 6)
      .join(', ');
  return { score: Math.min(1, matched / 4), reason: () => `keywords ${names()}` };
}

export function overlapCriterion(
  label: string,
  wanted: readonly string[],
  offered: readonly string[],
): CriterionResult {
  const same = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase();
  if (!wanted.some((w) => offered.some((o) => same(w, o)))) return { score: 0 };
  return {
    score: 1,
    reason: () => `${label} ${wanted.filter((w) => offered.some((o) => same(w, o))).join(', ')}`,
  };
}

export function sizeCriterion(profile: NeedsProfile, company: DirectoryCompany): CriterionResult {
  const score = sizeScore(SIZE_ORDER.indexOf(profile.firm.sizeBand), SIZE_ORDER.indexOf(company.sizeBand));
  return score === 1 ? { score, reason: () => `same size band ${company.sizeBand}` } : { score };
}
