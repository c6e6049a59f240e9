import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { sectionOf } from './nace';

/**
 * The ranking score without allocations, for scanning thousands of companies per request. It computes
 * exactly what `criteria.ts` computes (a unit test holds the two equal); the explained score is built
 * only for the suggestions returned.
 */
export const WEIGHTS = {
  nace: 0.35,
  products: 0.15,
  keywords: 0.2,
  partnership: 0.1,
  languages: 0.1,
  size: 0.05,
  certifications: 0.05,
};

const SIZE_ORDER = ['MICRO', 'SMALL', 'MEDIUM', 'LARGE'];

export interface PreparedCompany {
  /** Position in the index, for marking visits without hashing company ids. */
  position: number;
  company: DirectoryCompany;
  terms: ReadonlySet<string>;
  nace: string[];
  sections: Array<string | undefined>;
  partnership: ReadonlySet<string>;
  languages: ReadonlySet<string>;
  certifications: ReadonlySet<string>;
  size: number;
}

export interface PreparedRequest {
  nace: string[];
  sections: Array<string | undefined>;
  products: NeedsProfile['productCodes'];
  terms: string[];
  partnership: readonly string[];
  languages: readonly string[];
  certifications: string[];
  size: number;
  weights: number;
}

export function prepareCompany(
  company: DirectoryCompany,
  terms: ReadonlySet<string>,
  position = 0,
): PreparedCompany {
  return {
    position,
    company,
    terms,
    nace: company.naceCodes.map((n) => n.code),
    sections: company.naceCodes.map((n) => sectionOf(n.code)),
    partnership: new Set(company.partnershipTypes),
    languages: new Set(company.languages),
    certifications: new Set(company.certifications.map((c) => c.toLowerCase())),
    size: SIZE_ORDER.indexOf(company.sizeBand),
  };
}

export function prepareRequest(profile: NeedsProfile, terms: ReadonlySet<string>): PreparedRequest {
  const hasProducts = profile.productCodes.length > 0;
  const hasTerms = terms.size > 0;
  const hasCerts = profile.firm.certifications.length > 0;
  return {
    nace: profile.sectors.map((s) => s.code),
    sections: profile.sectors.map((s) => sectionOf(s.code)),
    products: profile.productCodes,
    terms: [...terms],
    partnership: profile.partnershipTypes,
    languages: profile.workingLanguages,
    certifications: profile.firm.certifications.map((c) => c.toLowerCase()),
    size: SIZE_ORDER.indexOf(profile.firm.sizeBand),
    // Summed in the order criteria.ts adds them, so both give the same floating-point result.
    weights: [
      WEIGHTS.nace,
      hasProducts ? WEIGHTS.products : undefined,
      hasTerms ? WEIGHTS.keywords : undefined,
      WEIGHTS.partnership,
      WEIGHTS.languages,
      WEIGHTS.size,
      hasCerts ? WEIGHTS.certifications : undefined,
    ].reduce<number>((sum, weight) => (weight === undefined ? sum : sum + weight), 0),
  };
}

function nace(a: string, b: string, sectionA: string | undefined, sectionB: string | undefined): number {
  const numeric = a.charCodeAt(0) <= 57 && b.charCodeAt(0) <= 57;
  if (numeric && a.charCodeAt(0) === b.charCodeAt(0) && a.charCodeAt(1) === b.charCodeAt(1)) {
    if (a.length === 5 && a === b) return 1;
    if (a.length >= 4 && b.length >= 4 && a.charCodeAt(3) === b.charCodeAt(3)) return 0.75;
    return 0.5;
  }
  return sectionA !== undefined && sectionA === sectionB ? 0.25 : 0;
}

/** How close two product codes of one scheme are: HS by shared leading digits (6/4/2), CPV by 5/3/2. */
export function productPairScore(
  wanted: { scheme: string; code: string },
  offered: { code: string },
): { score: number; common: number } {
  let common = 0;
  const max = Math.min(wanted.code.length, offered.code.length);
  while (common < max && wanted.code.charCodeAt(common) === offered.code.charCodeAt(common)) common += 1;
  const hs = common >= 6 ? 1 : common >= 4 ? 0.7 : common >= 2 ? 0.4 : 0;
  const cpv = common >= 5 ? 1 : common >= 3 ? 0.6 : common >= 2 ? 0.3 : 0;
  return { score: wanted.scheme === 'HS' ? hs : cpv, common };
}

function product(wanted: NeedsProfile['productCodes'], offered: DirectoryCompany['products']): number {
  let best = 0;
  for (const w of wanted) {
    for (const o of offered) {
      if (o.scheme !== w.scheme) continue;
      const { score } = productPairScore(w, o);
      if (score > best) best = score;
    }
  }
  return best;
}

const anyIn = (wanted: readonly string[], offered: ReadonlySet<string>) => wanted.some((w) => offered.has(w));

export function fastScore(request: PreparedRequest, entry: PreparedCompany): number {
  let naceScore = 0;
  for (let i = 0; i < request.nace.length; i += 1) {
    for (let j = 0; j < entry.nace.length; j += 1) {
      const s = nace(
        request.nace[i] as string,
        entry.nace[j] as string,
        request.sections[i],
        entry.sections[j],
      );
      if (s > naceScore) naceScore = s;
    }
  }
  let total = WEIGHTS.nace * naceScore;
  if (request.products.length) total += WEIGHTS.products * product(request.products, entry.company.products);
  if (request.terms.length) {
    let matched = 0;
    for (const term of request.terms) if (entry.terms.has(term)) matched += 1;
    total += WEIGHTS.keywords * Math.min(1, matched / 4);
  }
  if (anyIn(request.partnership, entry.partnership)) total += WEIGHTS.partnership;
  if (anyIn(request.languages, entry.languages)) total += WEIGHTS.languages;
  if (request.size >= 0 && entry.size >= 0) {
    const distance = Math.abs(request.size - entry.size);
    total += WEIGHTS.size * (distance === 0 ? 1 : distance === 1 ? 0.5 : 0);
  }
  if (request.certifications.length && anyIn(request.certifications, entry.certifications))
    total += WEIGHTS.certifications;
  return Math.round((total / request.weights) * 1000) / 1000;
}
