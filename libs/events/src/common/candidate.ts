import { z } from 'zod';
import { naceCode, PARTNERSHIP_TYPES, productCode, SIZE_BANDS } from './classifications';
import { anonymousText, countryCode, foundingYear, language, nutsCode, text } from './primitives';

/** Schema: schemas/common/CandidateProfile.avsc */
export const candidateProfile = z.object({
  sectors: z.array(naceCode).min(1, 'needs at least one sector').max(20),
  productCodes: z.array(productCode).max(50).default([]),
  sizeBand: z.enum(SIZE_BANDS),
  foundingYear: foundingYear.nullable().default(null),
  nutsRegion: nutsCode,
  exportMarkets: z.array(countryCode).max(250).default([]),
  certifications: z.array(text(100)).max(50).default([]),
  languages: z.array(language).default([]),
  partnershipTypes: z.array(z.enum(PARTNERSHIP_TYPES)).default([]),
  offerSummary: anonymousText(500),
});

/** Schema: schemas/common/Candidate.avsc */
export const candidate = z.object({
  candidateRef: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -'),
  profile: candidateProfile,
  disclosedName: anonymousText(200).nullable().default(null),
  matchScore: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  rationale: anonymousText(500),
});

export type Candidate = z.infer<typeof candidate>;
