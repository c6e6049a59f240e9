import { z } from 'zod';
import { fromBase64url, KEY_ID_LENGTH, keyIdOf, RAW_PUBLIC_KEY_BYTES } from './key-id';

/** A trust list names at most this many keys per agency and use; more is a mistake, not a rotation. */
export const MAX_KEYS_PER_USE = 16;
export const MAX_AGENCIES = 64;

const agencyId = z.string().regex(/^[a-z][a-z0-9]{1,15}$/, 'must be 2-16 lower-case letters or digits');
const base64url = z.string().regex(/^[\w-]+$/, 'must be base64url without padding');

export const trustedKeySchema = z
  .object({
    keyId: base64url.length(KEY_ID_LENGTH),
    /** Raw 32-byte public key, base64url. */
    publicKey: base64url.length(43),
    notBefore: z.iso.datetime(),
    notAfter: z.iso.datetime().optional(),
    retiredAt: z.iso.datetime().optional(),
  })
  .strict()
  .superRefine((key, context) => {
    const raw = fromBase64url(key.publicKey);
    if (raw?.length !== RAW_PUBLIC_KEY_BYTES)
      context.addIssue({ code: 'custom', path: ['publicKey'], message: 'must be 32 bytes' });
    else if (keyIdOf(raw) !== key.keyId)
      context.addIssue({ code: 'custom', path: ['keyId'], message: 'is not the key id of publicKey' });
    if (key.notAfter !== undefined && Date.parse(key.notAfter) <= Date.parse(key.notBefore))
      context.addIssue({ code: 'custom', path: ['notAfter'], message: 'must be later than notBefore' });
  });

const agencyKeysSchema = z
  .object({
    signingKeys: z.array(trustedKeySchema).max(MAX_KEYS_PER_USE),
    encryptionKeys: z.array(trustedKeySchema).max(MAX_KEYS_PER_USE),
  })
  .strict();

export const trustListSchema = z
  .object({
    version: z.literal(1),
    agencies: z.record(agencyId, agencyKeysSchema),
  })
  .strict()
  .superRefine((list, context) => {
    const agencies = Object.entries(list.agencies);
    if (agencies.length > MAX_AGENCIES)
      context.addIssue({ code: 'custom', path: ['agencies'], message: `must name at most ${MAX_AGENCIES}` });
    const seen = new Set<string>();
    for (const [id, keys] of agencies) {
      for (const use of ['signingKeys', 'encryptionKeys'] as const) {
        keys[use].forEach((key, index) => {
          if (seen.has(key.keyId))
            context.addIssue({
              code: 'custom',
              path: ['agencies', id, use, index, 'keyId'],
              message: 'appears more than once in the trust list',
            });
          seen.add(key.keyId);
        });
      }
    }
  });

export type TrustedKeyEntry = z.infer<typeof trustedKeySchema>;
export type TrustListDocument = z.infer<typeof trustListSchema>;
