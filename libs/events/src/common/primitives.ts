import { z } from 'zod';
import { personalDataIn } from './personal-data';

/** Languages of the four regions (DESIGN.md §1), as BCP 47 primary tags. */
export const LANGUAGES = ['de', 'fr', 'ca', 'es', 'it', 'en'] as const;
export const language = z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')} (BCP 47)` });

export const uuid = z.uuid({ error: 'must be a UUID' });

/** Free text with a length bound; blank text is refused so a required field always says something. */
export function text(max: number) {
  return z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);
}

/**
 * Free text in an anonymous event: bounded, and free of e-mail addresses and phone numbers. `hint`
 * tells the reader of the error where contact data goes instead.
 */
export function anonymousText(max: number, hint?: string) {
  return text(max).superRefine((value, ctx) => {
    // zod runs refinements even when the length check has failed: text over the limit is never scanned.
    if (value.length > max) return;
    const found = personalDataIn(value);
    if (found) {
      const message = `must not contain personal data (found ${found})${hint ? `; ${hint}` : ''}`;
      ctx.addIssue({ code: 'custom', message });
    }
  });
}

export const timestamp = z.date({ error: 'must be a date-time (ISO 8601, e.g. 2027-03-01T00:00:00Z)' });

export const nutsCode = z
  .string()
  .regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/, 'must be a NUTS code such as DE11 or ITC4');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
export const foundingYear = z
  .number()
  .int()
  .min(1800, 'must be 1800 or later')
  .max(new Date().getUTCFullYear(), 'must not be in the future');
