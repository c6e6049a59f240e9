import { z } from 'zod';
import { SealInvalidError, SealKeyUnavailableError } from '@passport/errors';
import type { SealedFieldOpener } from './agency-keys';
import { hpkeSeal } from './hpke-suite';
import { fromBase64url, keyIdOf, RAW_PUBLIC_KEY_BYTES } from './key-id';
import { formatSealed, MAX_SEALED_PLAINTEXT_BYTES, parseSealed, SEALED_PREFIX } from './sealed-format';

/** The event a sealed field belongs to; bound as associated data, so it opens in this event only. */
export interface SealContext {
  eventId: string;
  eventType: string;
  requestId: string;
  /** The field's name in the event, e.g. `firmContact`. */
  field: string;
}

/** A public X25519 key to seal to: an agency's from the trust list, or an announced introduction key. */
export interface SealRecipient {
  keyId: string;
  /** Raw public key, base64url. */
  publicKey: string;
}

const contextPart = z.string().min(1).max(128);
const sealContextSchema = z.object({
  eventId: contextPart,
  eventType: contextPart,
  requestId: contextPart,
  field: contextPart,
});

/** HPKE base mode, single shot, to `recipient`; the compact string goes into the event as is. */
export async function sealFor(
  recipient: SealRecipient,
  plaintext: Uint8Array | string,
  context: SealContext,
): Promise<string> {
  const publicKey = fromBase64url(recipient.publicKey);
  if (publicKey?.length !== RAW_PUBLIC_KEY_BYTES || keyIdOf(publicKey) !== recipient.keyId)
    throw new SealInvalidError('the recipient publicKey is not 32 bytes named by its keyId', {
      details: { field: 'recipient' },
    });
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  if (bytes.length > MAX_SEALED_PLAINTEXT_BYTES)
    throw new SealInvalidError(`the plaintext is longer than ${MAX_SEALED_PLAINTEXT_BYTES} bytes`, {
      details: { field: 'plaintext' },
    });
  const aad = associatedData(recipient.keyId, context);
  const sealed = await hpkeSeal(publicKey, bytes, aad);
  return formatSealed({ recipientKeyId: recipient.keyId, ...sealed });
}

/**
 * Opens a sealed field with the key `opener` holds for it. Malformed, moved into another event or
 * tampered → PASSPORT_SEAL_INVALID; a key not held here (erased, or another recipient's) →
 * PASSPORT_SEAL_KEY_UNAVAILABLE.
 */
export async function openSealed(
  sealed: string,
  context: SealContext,
  opener: SealedFieldOpener,
): Promise<Buffer> {
  const parts = parseSealed(sealed);
  const aad = associatedData(parts.recipientKeyId, context);
  let plaintext: Uint8Array | undefined;
  try {
    plaintext = await opener.openHpke(parts.recipientKeyId, parts, aad);
  } catch (error) {
    throw new SealInvalidError(`the ${context.field} field does not open in event ${context.eventId}`, {
      cause: error,
      details: { field: context.field },
    });
  }
  if (plaintext === undefined) throw new SealKeyUnavailableError(parts.recipientKeyId);
  return Buffer.from(plaintext);
}

/** The recipient key id of a sealed field, to pick the opener (agency key or introduction key). */
export function sealedRecipientKeyId(sealed: string): string {
  return parseSealed(sealed).recipientKeyId;
}

/** Canonical JSON (sorted members, strings only) of the event identity and the recipient key. */
function associatedData(recipientKeyId: string, context: SealContext): Buffer {
  const parsed = sealContextSchema.safeParse(context);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw new SealInvalidError(
      `the seal context is invalid at ${field}: ${parsed.error.issues[0]?.message}`,
      {
        details: { field },
      },
    );
  }
  const { eventId, eventType, field, requestId } = parsed.data;
  return Buffer.from(
    JSON.stringify({ eventId, eventType, field, recipientKeyId, requestId, version: SEALED_PREFIX }),
    'utf8',
  );
}
