import type { Candidate } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';

const pick = (texts: Partial<Record<string, string>>, preferred: readonly string[]) =>
  preferred.map((lang) => texts[lang]).find((text): text is string => Boolean(text)) ??
  Object.values(texts).find(Boolean) ??
  '';

/** The company as partners may see it: company-level facts, its name only when disclosable, no contact. */
export function toCandidate(
  company: DirectoryCompany,
  match: { candidateRef: string; score: number; rationale: string },
  requestLanguages: readonly string[],
): Candidate {
  const summary = pick(company.descriptions, [...requestLanguages, 'en']);
  return {
    candidateRef: match.candidateRef,
    profile: {
      sectors: company.naceCodes,
      productCodes: company.products,
      sizeBand: company.sizeBand,
      foundingYear: company.foundingYear,
      nutsRegion: company.nutsRegion,
      exportMarkets: company.exportMarkets,
      certifications: company.certifications,
      languages: company.languages,
      partnershipTypes: company.partnershipTypes,
      offerSummary: summary.length > 500 ? `${summary.slice(0, 497)}...` : summary,
    },
    disclosedName: company.nameDisclosable ? company.name : null,
    matchScore: Math.min(1, Math.max(0, match.score)),
    rationale: match.rationale || 'Matched by the agency staff.',
  };
}
