import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** Raw public keys of both Ed25519 and X25519 are 32 bytes (RFC 8032, RFC 7748). */
export const RAW_PUBLIC_KEY_BYTES = 32;
/** A key id is 16 bytes of a SHA-256 digest, 22 characters of base64url without padding. */
export const KEY_ID_LENGTH = 22;

const BASE64URL = /^[\w-]*$/;

/** Key id = base64url(first 16 bytes of sha256(raw public key)): short, stable, derived, never chosen. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 16).toString('base64url');
}

export function isBase64url(text: string): boolean {
  return BASE64URL.test(text);
}

/** Decodes strict base64url; undefined for any other alphabet (Buffer would silently skip it). */
export function fromBase64url(text: string): Buffer | undefined {
  if (!isBase64url(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}

/** The 32 raw bytes of an Ed25519 or X25519 public key (the JWK `x` member, RFC 8037). */
export function rawPublicKeyOf(key: KeyObject): Buffer {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError(`not an OKP key: ${key.asymmetricKeyType}`);
  return Buffer.from(jwk.x, 'base64url');
}

/** A KeyObject for a raw 32-byte public key of the given OKP curve. */
export function publicKeyFromRaw(curve: 'Ed25519' | 'X25519', raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: curve, x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}
