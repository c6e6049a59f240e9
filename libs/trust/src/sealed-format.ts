import { SealInvalidError } from '@passport/errors';
import { ENC_BYTES, TAG_BYTES, type HpkeCiphertext } from './hpke-suite';
import { fromBase64url, KEY_ID_LENGTH } from './key-id';

/** Version prefix of the compact form: `ps1.<recipient key id>.<enc>.<ciphertext>`, all base64url. */
export const SEALED_PREFIX = 'ps1';
/** Longest plaintext a field may seal: a name and a contact, with room to spare. */
export const MAX_SEALED_PLAINTEXT_BYTES = 4096;
/** Longest compact form accepted; checked before anything else reads the text. */
export const MAX_SEALED_LENGTH = 8192;

export interface SealedParts extends HpkeCiphertext {
  recipientKeyId: string;
}

export function formatSealed(parts: SealedParts): string {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  return [SEALED_PREFIX, parts.recipientKeyId, b64(parts.enc), b64(parts.ciphertext)].join('.');
}

/** Splits and decodes the compact form; linear in its length, which is bounded first. */
export function parseSealed(sealed: string): SealedParts {
  if (sealed.length > MAX_SEALED_LENGTH)
    throw malformed(`a sealed field is longer than ${MAX_SEALED_LENGTH} characters`, 'length');
  const parts = sealed.split('.');
  if (parts.length !== 4) throw malformed('a sealed field has four dot-separated parts', 'format');
  const [prefix, recipientKeyId, encText, ciphertextText] = parts as [string, string, string, string];
  if (prefix !== SEALED_PREFIX)
    throw malformed(`a sealed field must start with ${SEALED_PREFIX}.`, 'version');
  const keyId = fromBase64url(recipientKeyId);
  if (keyId === undefined || recipientKeyId.length !== KEY_ID_LENGTH)
    throw malformed('the recipient key id of a sealed field is malformed', 'keyId');
  const enc = fromBase64url(encText);
  if (enc?.length !== ENC_BYTES) throw malformed('the enc of a sealed field is malformed', 'enc');
  const ciphertext = fromBase64url(ciphertextText);
  if (ciphertext === undefined || ciphertext.length < TAG_BYTES)
    throw malformed('the ciphertext of a sealed field is malformed', 'ciphertext');
  return { recipientKeyId, enc, ciphertext };
}

function malformed(message: string, part: string): SealInvalidError {
  return new SealInvalidError(message, { details: { part } });
}
