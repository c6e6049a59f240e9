import { z } from 'zod';
import { SignatureRefusedError } from '@passport/errors';
import { KEY_ID_LENGTH } from './key-id';
import type { RecordHeaders } from './record-payload';

/** The one header that carries the sender's signature: compact JSON `{"keyid":…,"sig":…}`, base64url. */
export const SIGNATURE_HEADER = 'passport_signature';
/** 22 characters of key id, 86 of signature and the JSON around them fit well within this. */
export const MAX_SIGNATURE_HEADER_BYTES = 256;
const ED25519_SIGNATURE_LENGTH = 86;

const signatureHeaderSchema = z
  .object({
    keyid: z
      .string()
      .regex(/^[\w-]+$/)
      .length(KEY_ID_LENGTH),
    sig: z
      .string()
      .regex(/^[\w-]+$/)
      .length(ED25519_SIGNATURE_LENGTH),
  })
  .strict();

export interface SignatureHeader {
  keyId: string;
  signature: Buffer;
}

export function formatSignatureHeader(keyId: string, signature: Buffer): string {
  return JSON.stringify({ keyid: keyId, sig: signature.toString('base64url') });
}

/**
 * The signature header of a received record: absent → PASSPORT_SIGNATURE_MISSING; repeated, too long
 * (checked before anything reads it) or malformed → PASSPORT_SIGNATURE_INVALID.
 */
export function readSignatureHeader(headers: RecordHeaders | undefined): SignatureHeader {
  const value = headers?.[SIGNATURE_HEADER];
  if (value === undefined || (Array.isArray(value) && value.length === 0))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNATURE_MISSING',
      `the record has no ${SIGNATURE_HEADER} header`,
    );
  if (Array.isArray(value) && value.length > 1)
    throw malformed(`the record has ${value.length} ${SIGNATURE_HEADER} headers; one is allowed`);
  const single = Array.isArray(value) ? value[0] : value;
  const bytes = typeof single === 'string' ? Buffer.from(single, 'utf8') : (single ?? Buffer.alloc(0));
  if (bytes.length > MAX_SIGNATURE_HEADER_BYTES)
    throw malformed(`the ${SIGNATURE_HEADER} header is longer than ${MAX_SIGNATURE_HEADER_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed(`the ${SIGNATURE_HEADER} header is not JSON`);
  }
  const parsed = signatureHeaderSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw malformed(`the ${SIGNATURE_HEADER} header is invalid at ${field}`);
  }
  return { keyId: parsed.data.keyid, signature: Buffer.from(parsed.data.sig, 'base64url') };
}

function malformed(message: string): SignatureRefusedError {
  return new SignatureRefusedError('PASSPORT_SIGNATURE_INVALID', message, {
    details: { field: SIGNATURE_HEADER },
  });
}
