import { createHash } from 'node:crypto';
import type { Candidate } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';

/**
 * An opaque reference per request and company: meaningless to other agencies, stable for this agency,
 * which keeps the mapping back to its directory to release the contact on an accepted introduction.
 */
export function candidateRefFor(agencyId: string, requestId: string, companyId: string): string {
  return `${agencyId}-${createHash('sha256').update(`${requestId}\n${companyId}`).digest('hex').slice(0, 16)}`;
}

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
