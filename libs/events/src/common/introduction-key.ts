import { z } from 'zod';

/**
 * Schema: schemas/common/IntroductionKey.avsc. Fixed-length base64url: the key id is 16 bytes (22
 * characters), the raw X25519 public key 32 bytes (43). Whether the id names the key is checked where
 * the key is used (libs/trust `sealFor`), since that needs a hash.
 */
export const introductionKey = z.object({
  keyId: z
    .string()
    .length(22, 'must be 22 characters (base64url of 16 bytes)')
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'),
  publicKey: z
    .string()
    .length(43, 'must be 43 characters (base64url of a 32-byte X25519 key)')
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'),
});

export type IntroductionKey = z.output<typeof introductionKey>;
