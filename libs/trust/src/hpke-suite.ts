import { webcrypto } from 'node:crypto';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

/**
 * RFC 9180 base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM (suite 0x0020,
 * 0x0001, 0x0001). `info` names this use so a ciphertext made for another protocol never opens here.
 */
const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});
const INFO = new TextEncoder().encode('business-passport sealed field v1');

export const ENC_BYTES = 32;
/** AES-GCM appends a 16-byte tag to every ciphertext. */
export const TAG_BYTES = 16;

export interface HpkeCiphertext {
  enc: Uint8Array;
  ciphertext: Uint8Array;
}

/** A recipient key pair held as non-extractable WebCrypto keys: usable to open, never to export. */
export type HpkeRecipientKey = webcrypto.CryptoKeyPair;

export async function hpkeSeal(
  rawPublicKey: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<HpkeCiphertext> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(rawPublicKey);
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: INFO }, plaintext, aad);
  return { enc: new Uint8Array(enc), ciphertext: new Uint8Array(ct) };
}

/** Throws when the ciphertext, enc or aad were altered, or the key is not the recipient's. */
export async function hpkeOpen(
  recipientKey: HpkeRecipientKey,
  sealed: HpkeCiphertext,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const plaintext = await suite.open({ recipientKey, enc: sealed.enc, info: INFO }, sealed.ciphertext, aad);
  return new Uint8Array(plaintext);
}

/** Imports an X25519 private key (PKCS#8 DER) and its raw public key for hpkeOpen. */
export async function importRecipientKey(
  pkcs8: Uint8Array,
  rawPublicKey: Uint8Array,
): Promise<HpkeRecipientKey> {
  const algorithm = { name: 'X25519' };
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['deriveBits']),
    webcrypto.subtle.importKey('raw', rawPublicKey, algorithm, true, []),
  ]);
  return { privateKey, publicKey };
}
