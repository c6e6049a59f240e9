import { z } from 'zod';

/** Longest compact sealed field (libs/trust MAX_SEALED_LENGTH); checked before its shape. */
export const MAX_SEALED_FIELD_LENGTH = 8192;

// Four dot-separated base64url parts; no part can contain a dot, so the match is linear.
const SEALED_SHAPE = /^ps1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A field sealed with HPKE for one recipient key (libs/trust `sealFor`): `ps1.<key id>.<enc>.<ciphertext>`.
 * Only the shape is checked here; whether it opens, and in this event, is the recipient's check.
 */
export const sealedText = z
  .string()
  .max(MAX_SEALED_FIELD_LENGTH, `must be at most ${MAX_SEALED_FIELD_LENGTH} characters`)
  .superRefine((value, ctx) => {
    // zod runs refinements even after the length check failed: an oversized text is never matched.
    if (value.length > MAX_SEALED_FIELD_LENGTH) return;
    if (!SEALED_SHAPE.test(value))
      ctx.addIssue({ code: 'custom', message: 'must be a sealed field ps1.<key id>.<enc>.<ciphertext>' });
  });
