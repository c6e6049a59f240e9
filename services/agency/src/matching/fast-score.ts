import { sameSection, type NaceSection } from './nace';

/**
 * The pieces of the ranking score that run per company, free of allocations so a search can score tens
 * of thousands of companies. Together they compute exactly what `criteria.ts` explains (a unit test holds
 * the two equal); the explained score is built only for the suggestions returned.
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

export const SIZE_ORDER = ['MICRO', 'SMALL', 'MEDIUM', 'LARGE'];

/**
 * Same class 1, same group 0.75, same division 0.5, same section 0.25, as `naceProximity` decides; the
 * sections are passed in because `sectionOf` is too slow to call per pair.
 */
export function naceScore(
  a: string,
  b: string,
  sectionA: NaceSection | undefined,
  sectionB: NaceSection | undefined,
): number {
  const numeric = a.charCodeAt(0) <= 57 && b.charCodeAt(0) <= 57;
  if (numeric && a.charCodeAt(0) === b.charCodeAt(0) && a.charCodeAt(1) === b.charCodeAt(1)) {
    if (a.length === 5 && a === b) return 1;
    if (a.length >= 4 && b.length >= 4 && a.charCodeAt(3) === b.charCodeAt(3)) return 0.75;
    return 0.5;
  }
  return sameSection(sectionA, sectionB) ? 0.25 : 0;
}

function commonPrefixLength(a: string, b: string): number {
  let common = 0;
  const max = Math.min(a.length, b.length);
  while (common < max && a.charCodeAt(common) === b.charCodeAt(common)) common += 1;
  return common;
}

/** HS codes by shared leading digits (6/4/2), CPV and others by 5/3/2; no score below two digits. */
function productScoreFor(scheme: string, common: number): number {
  if (scheme === 'HS') return common >= 6 ? 1 : common >= 4 ? 0.7 : common >= 2 ? 0.4 : 0;
  return common >= 5 ? 1 : common >= 3 ? 0.6 : common >= 2 ? 0.3 : 0;
}

/** How close two product codes of one scheme are, and how many leading digits they share. */
export function productPairScore(
  wanted: { scheme: string; code: string },
  offered: { code: string },
): { score: number; common: number } {
  const common = commonPrefixLength(wanted.code, offered.code);
  return { score: productScoreFor(wanted.scheme, common), common };
}

/** productPairScore's score alone, without building an object. */
export function productScore(wanted: { scheme: string; code: string }, offeredCode: string): number {
  return productScoreFor(wanted.scheme, commonPrefixLength(wanted.code, offeredCode));
}

/** 1 for the same size band, 0.5 for a neighbouring one, 0 otherwise or when either is unknown (-1). */
export function sizeScore(wanted: number, offered: number): number {
  if (wanted < 0 || offered < 0) return 0;
  const distance = Math.abs(wanted - offered);
  return distance === 0 ? 1 : distance === 1 ? 0.5 : 0;
}

/** The weights of the criteria a request takes part in, summed in the order criteria.ts adds them. */
export function weightsOf(hasProducts: boolean, hasTerms: boolean, hasCertifications: boolean): number {
  return [
    WEIGHTS.nace,
    hasProducts ? WEIGHTS.products : undefined,
    hasTerms ? WEIGHTS.keywords : undefined,
    WEIGHTS.partnership,
    WEIGHTS.languages,
    WEIGHTS.size,
    hasCertifications ? WEIGHTS.certifications : undefined,
  ].reduce<number>((sum, weight) => (weight === undefined ? sum : sum + weight), 0);
}
