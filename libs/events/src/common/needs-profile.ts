import { z } from 'zod';
import { agencyId } from './agencies';
import {
  EXPORT_EXPERIENCE,
  naceCode,
  PARTNERSHIP_TYPES,
  productCode,
  REQUEST_KINDS,
  SIZE_BANDS,
} from './classifications';
import { anonymousText, countryCode, foundingYear, language, nutsCode, text, timestamp } from './primitives';

/** Schema: schemas/common/LocalizedText.avsc */
export const localizedText = z.object({
  language,
  title: anonymousText(200),
  summary: anonymousText(500),
  description: anonymousText(4000).nullable().default(null),
});

/** Schema: schemas/common/AnonymousFirm.avsc */
export const anonymousFirm = z.object({
  sizeBand: z.enum(SIZE_BANDS),
  foundingYear: foundingYear.nullable().default(null),
  nutsRegion: nutsCode,
  exportExperience: z.enum(EXPORT_EXPERIENCE),
  exportMarkets: z.array(countryCode).max(250).default([]),
  certifications: z.array(text(100)).max(50).default([]),
});

const keyword = anonymousText(60);

/** Schema: schemas/common/NeedsProfile.avsc. Company-level only: the firm is not named here. */
export const needsProfile = z
  .object({
    kind: z.enum(REQUEST_KINDS),
    title: anonymousText(200),
    summary: anonymousText(500),
    description: anonymousText(4000),
    textLanguage: language,
    translations: z.array(localizedText).max(6).default([]),
    sectors: z.array(naceCode).min(1, 'needs at least one sector').max(20),
    productCodes: z.array(productCode).max(50).default([]),
    keywords: z.array(keyword).max(30).default([]),
    partnershipTypes: z.array(z.enum(PARTNERSHIP_TYPES)).min(1, 'needs at least one partnership type'),
    targetAgencies: z.array(agencyId).min(1, 'needs at least one target agency'),
    workingLanguages: z.array(language).min(1, 'needs at least one working language'),
    deadline: timestamp,
    firm: anonymousFirm,
  })
  .superRefine((profile, ctx) => {
    if (new Set(profile.targetAgencies).size !== profile.targetAgencies.length) {
      ctx.addIssue({ code: 'custom', path: ['targetAgencies'], message: 'lists an agency twice' });
    }
    const languages = profile.translations.map((t) => t.language);
    if (languages.includes(profile.textLanguage) || new Set(languages).size !== languages.length) {
      ctx.addIssue({ code: 'custom', path: ['translations'], message: 'repeats a language already given' });
    }
  });

export type NeedsProfile = z.infer<typeof needsProfile>;
