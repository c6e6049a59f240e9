import { z } from 'zod';

/** Enum values as in the Avro schemas; UNKNOWN is each enum's default, for readers of newer writers. */
export const NACE_REVISIONS = ['REV_2', 'REV_2_1', 'UNKNOWN'] as const;
export const PRODUCT_CODE_SCHEMES = ['HS', 'CPV', 'UNKNOWN'] as const;

/**
 * NACE as published: a section letter (A–U in Rev. 2, up to V in Rev. 2.1), a division (28), a
 * group (28.4) or a class (28.41).
 */
const NACE_CODE = /^(?:[A-V]|\d{2}(?:\.\d{1,2})?)$/;

export const naceCode = z.object({
  code: z
    .string()
    .regex(NACE_CODE, 'must be a NACE section letter, division (28), group (28.4) or class (28.41)'),
  revision: z.enum(NACE_REVISIONS),
});

const HS_CODE = /^\d{2}(?:\d{2}){0,4}$/;
const CPV_CODE = /^\d{8}(?:-\d)?$/;

export const productCode = z
  .object({ scheme: z.enum(PRODUCT_CODE_SCHEMES), code: z.string() })
  .superRefine((value, ctx) => {
    if (value.scheme === 'HS' && !HS_CODE.test(value.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'an HS code has 2, 4, 6, 8 or 10 digits' });
    }
    if (value.scheme === 'CPV' && !CPV_CODE.test(value.code)) {
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: 'a CPV code has 8 digits and an optional check digit (45000000-7)',
      });
    }
  });

export const REQUEST_KINDS = [
  'PARTNER',
  'SUPPLIER',
  'CUSTOMER',
  'TECHNOLOGY',
  'RESEARCH_AND_DEVELOPMENT',
  'UNKNOWN',
] as const;
export const PARTNERSHIP_TYPES = [
  'COMMERCIAL_AGENCY',
  'DISTRIBUTION',
  'SUPPLY_CONTRACT',
  'MANUFACTURING',
  'SUBCONTRACTING',
  'LICENSE',
  'TECHNICAL_COOPERATION',
  'RESEARCH_COOPERATION',
  'JOINT_VENTURE',
  'FINANCIAL',
  'SERVICES',
  'OTHER',
  'UNKNOWN',
] as const;
export const SIZE_BANDS = ['MICRO', 'SMALL', 'MEDIUM', 'LARGE', 'UNKNOWN'] as const;
export const EXPORT_EXPERIENCE = ['NONE', 'OCCASIONAL', 'REGULAR', 'EXTENSIVE', 'UNKNOWN'] as const;
export const CONSENT_METHODS = ['WRITTEN', 'ELECTRONIC', 'RECORDED_VERBAL', 'UNKNOWN'] as const;
export const CLOSE_REASONS = ['FULFILLED', 'WITHDRAWN', 'EXPIRED', 'UNKNOWN'] as const;
export const NO_CANDIDATES_REASONS = ['NO_MATCH', 'OUT_OF_SCOPE', 'NO_CAPACITY', 'UNKNOWN'] as const;
export const DECLINE_REASONS = [
  'NOT_INTERESTED',
  'NOT_A_FIT',
  'NO_CAPACITY',
  'NO_RESPONSE',
  'UNKNOWN',
] as const;
export const OUTCOME_KINDS = ['MEETING_HELD', 'AGREEMENT_SIGNED', 'OTHER', 'UNKNOWN'] as const;
export const AGREEMENT_TYPES = [
  'COMMERCIAL',
  'SUPPLIER',
  'DISTRIBUTION',
  'TECHNOLOGY',
  'RESEARCH_AND_DEVELOPMENT',
  'INVESTMENT',
  'OTHER',
  'UNKNOWN',
] as const;
