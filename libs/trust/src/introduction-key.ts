import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { KeyStoreCorruptError } from '@passport/errors';
import type { SealedFieldOpener } from './agency-keys';
import { hpkeOpen, importRecipientKey, type HpkeCiphertext } from './hpke-suite';
import { fromBase64url, keyIdOf, rawPublicKeyOf } from './key-id';
import type { SealRecipient } from './sealed-field';

/**
 * A per-introduction X25519 key for erasure: the recipient announces `recipient` in a signed event,
 * keeps `privateKeyBlob` in its database row of that introduction, and deleting that row makes every
 * field sealed to it unreadable, wherever a copy of the topic is kept.
 */
export interface IntroductionKey {
  recipient: SealRecipient;
  /** The private key, `pik1.<PKCS#8 base64url>`: store it with the introduction, never log or send it. */
  privateKeyBlob: string;
}

const BLOB_PREFIX = 'pik1.';
const MAX_BLOB_LENGTH = 128;

export function createIntroductionKey(): IntroductionKey {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const raw = rawPublicKeyOf(publicKey);
  return {
    recipient: { keyId: keyIdOf(raw), publicKey: raw.toString('base64url') },
    privateKeyBlob: BLOB_PREFIX + privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  };
}

/** An opener for what was sealed to one introduction key, from its stored blob. */
export async function introductionKeyOpener(
  privateKeyBlob: string,
): Promise<SealedFieldOpener & SealRecipient> {
  const der =
    privateKeyBlob.length <= MAX_BLOB_LENGTH && privateKeyBlob.startsWith(BLOB_PREFIX)
      ? fromBase64url(privateKeyBlob.slice(BLOB_PREFIX.length))
      : undefined;
  let raw: Buffer | undefined;
  try {
    const key = der === undefined ? undefined : createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    raw = key?.asymmetricKeyType === 'x25519' ? rawPublicKeyOf(key) : undefined;
  } catch {
    raw = undefined;
  }
  if (der === undefined || raw === undefined)
    throw new KeyStoreCorruptError('introduction key', 'an introduction key blob is not a pik1 X25519 key');
  const recipientKey = await importRecipientKey(der, raw);
  const keyId = keyIdOf(raw);
  return {
    keyId,
    publicKey: raw.toString('base64url'),
    openHpke: async (wanted: string, sealed: HpkeCiphertext, aad: Uint8Array) =>
      wanted === keyId ? hpkeOpen(recipientKey, sealed, aad) : undefined,
  };
}
