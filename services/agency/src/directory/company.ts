import {
  countryCode,
  foundingYear,
  LANGUAGES,
  language,
  naceCode,
  PARTNERSHIP_TYPES,
  personalDataIn,
  productCode,
  SIZE_BANDS,
  text,
} from '@passport/events';
import { z } from 'zod';

/** Free text about a company that may end up in a candidate profile: no contact data allowed. */
const companyText = (max: number) =>
  text(max).superRefine((value, ctx) => {
    const found = personalDataIn(value);
    if (found)
      ctx.addIssue({
        code: 'custom',
        message: `must not contain personal data (found ${found}); contacts go in the contact fields`,
      });
  });

/**
 * One company of an agency's regional ecosystem. The contact person stays in this agency's database
 * and is released only through an accepted introduction; the name only when `nameDisclosable`.
 */
export const directoryCompany = z.object({
  companyId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits or . _ -'),
  name: text(200),
  naceCodes: z.array(naceCode).min(1, 'needs at least one NACE code').max(20),
  products: z.array(productCode).max(50).default([]),
  keywords: z.array(companyText(60)).max(50).default([]),
  descriptions: z
    .partialRecord(z.enum(LANGUAGES), companyText(2000))
    .refine((texts) => Object.keys(texts).length > 0, 'needs a description in at least one language'),
  sizeBand: z.enum(SIZE_BANDS),
  foundingYear: foundingYear.nullable().default(null),
  nutsRegion: z.string().regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/, 'must be a NUTS code such as ES511'),
  exportMarkets: z.array(countryCode).max(250).default([]),
  certifications: z.array(text(100)).max(50).default([]),
  languages: z.array(language).default([]),
  partnershipTypes: z.array(z.enum(PARTNERSHIP_TYPES)).default([]),
  nameDisclosable: z.boolean().default(false),
  contact: z
    .object({
      fullName: text(200),
      role: text(200).nullable().default(null),
      email: z.email({ error: 'must be an e-mail address' }),
      phone: z
        .string()
        .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +34931234567')
        .nullable()
        .default(null),
      preferredLanguage: language,
    })
    .nullable()
    .default(null),
});

export type DirectoryCompany = z.output<typeof directoryCompany>;
