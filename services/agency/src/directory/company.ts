import {
  anonymousText,
  contactPerson,
  countryCode,
  foundingYear,
  LANGUAGES,
  language,
  personalDataIn,
  text,
} from '@passport/events';
import { z } from 'zod';
import { knownNaceCode, knownPartnershipType, knownProductCode, knownSizeBand } from './known-values';

const PERSONAL_DATA_HINT = 'contacts go in the contact fields';

/**
 * Free text that may reach partners in a candidate reply. The event contract refuses contact data there
 * (DESIGN.md §6), so it is refused at import, where the person who can fix it is looking.
 */
const companyText = (max: number) => anonymousText(max, PERSONAL_DATA_HINT);

/** Blank or absent is refused with a message that says why the field is needed here. */
const requiredText = (max: number, whenMissing: string) => z.string({ error: whenMissing }).pipe(text(max));

/** The contract's contact person, with a message saying why the name is needed when details are given. */
const contact = contactPerson.extend({
  fullName: requiredText(200, 'is required when any contact detail is given'),
});

const fields = z.object({
  companyId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits or . _ -'),
  name: text(200),
  naceCodes: z.array(knownNaceCode).min(1, 'needs at least one NACE code').max(20),
  products: z.array(knownProductCode).max(50).default([]),
  keywords: z.array(companyText(60)).max(50).default([]),
  descriptions: z
    .partialRecord(z.enum(LANGUAGES), companyText(2000))
    .refine((texts) => Object.keys(texts).length > 0, 'needs a description in at least one language'),
  sizeBand: knownSizeBand,
  foundingYear: foundingYear.nullable().default(null),
  nutsRegion: z.string().regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/, 'must be a NUTS code such as ES511'),
  exportMarkets: z.array(countryCode).max(250).default([]),
  certifications: z.array(text(100)).max(50).default([]),
  languages: z.array(language).default([]),
  partnershipTypes: z.array(knownPartnershipType).default([]),
  nameDisclosable: z.boolean().default(false),
  contact: contact.nullable().default(null),
});

type Fields = z.output<typeof fields>;

/** Zod skips object-level checks once any field fails; this one only needs the two fields it reads. */
const nameAndDisclosureParsed = (payload: {
  value: unknown;
  issues: ReadonlyArray<{ path?: PropertyKey[] }>;
}) =>
  typeof (payload.value as Partial<Fields>).name === 'string' &&
  typeof (payload.value as Partial<Fields>).nameDisclosable === 'boolean' &&
  !payload.issues.some(({ path }) => path?.[0] === 'name' || path?.[0] === 'nameDisclosable');

/** A disclosable name travels as the candidate's `disclosedName`, which the contract checks like free text. */
function refuseDisclosedPersonalData(company: Fields, ctx: z.RefinementCtx) {
  const found = company.nameDisclosable ? personalDataIn(company.name) : undefined;
  if (found)
    ctx.addIssue({
      code: 'custom',
      path: ['name'],
      message: `must not contain personal data (found ${found}) while nameDisclosable is true, as partners see the name; ${PERSONAL_DATA_HINT}`,
    });
}

/**
 * One company of an agency's regional ecosystem. The contact person stays in this agency's database
 * and is released only through an accepted introduction; the name only when `nameDisclosable`.
 */
export const directoryCompany = fields.superRefine(refuseDisclosedPersonalData, {
  when: nameAndDisclosureParsed,
});

export type DirectoryCompany = z.output<typeof directoryCompany>;
