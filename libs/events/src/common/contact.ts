import { z } from 'zod';
import { CONSENT_METHODS } from './classifications';
import { language, text, timestamp } from './primitives';

/** Schema: schemas/common/ContactPerson.avsc. Only ever inside an introduction, after consent. */
export const contactPerson = z.object({
  fullName: text(200),
  role: text(200).nullable().default(null),
  // RFC 5321 caps a path at 256 octets, so 254 characters for the address; checked before the format.
  email: z
    .string()
    .max(254, 'must be at most 254 characters')
    .pipe(z.email({ error: 'must be an e-mail address' })),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +497111234567')
    .nullable()
    .default(null),
  preferredLanguage: language,
});

/** Schema: schemas/common/Consent.avsc */
export const consent = z.object({
  givenAt: timestamp,
  method: z.enum(CONSENT_METHODS),
  reference: text(200).nullable().default(null),
});
