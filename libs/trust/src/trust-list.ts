import type { KeyObject } from 'node:crypto';
import { TrustListInvalidError } from '@passport/errors';
import { publicKeyFromRaw } from './key-id';
import { trustListSchema, type TrustedKeyEntry, type TrustListDocument } from './trust-list-schema';

export type KeyUse = 'signing' | 'encryption';

export interface TrustedKey {
  agencyId: string;
  use: KeyUse;
  keyId: string;
  /** Raw public key, base64url. */
  publicKey: string;
  notBefore: Date;
  notAfter: Date | undefined;
  retiredAt: Date | undefined;
}

/** The answer to "may this key be relied on at this time?": the key, or why not. */
export type KeyLookup =
  | { status: 'valid'; key: TrustedKey }
  | { status: 'unknown' }
  | { status: 'not-yet-valid'; key: TrustedKey }
  | { status: 'retired'; key: TrustedKey; since: Date };

/** A trust list file is a few kilobytes; a far larger one is refused before it is parsed. */
export const MAX_TRUST_LIST_BYTES = 1024 * 1024;

/**
 * Which public keys each agency signs and seals with, and when each may be relied on. Immutable: a
 * rotation gives a new list (see rotation-statement.ts).
 */
export class TrustList {
  readonly #document: TrustListDocument;
  readonly #byKeyId = new Map<string, TrustedKey>();
  readonly #verifiers = new Map<string, KeyObject>();

  private constructor(document: TrustListDocument) {
    this.#document = document;
    for (const [agencyId, keys] of Object.entries(document.agencies)) {
      for (const entry of keys.signingKeys)
        this.#byKeyId.set(entry.keyId, trusted(agencyId, 'signing', entry));
      for (const entry of keys.encryptionKeys)
        this.#byKeyId.set(entry.keyId, trusted(agencyId, 'encryption', entry));
    }
  }

  /** Validates a parsed JSON document; a bad one throws with the path of the first wrong field. */
  static fromDocument(json: unknown): TrustList {
    const parsed = trustListSchema.safeParse(json);
    if (!parsed.success)
      throw new TrustListInvalidError(
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    return new TrustList(parsed.data);
  }

  static fromText(text: string): TrustList {
    if (Buffer.byteLength(text, 'utf8') > MAX_TRUST_LIST_BYTES)
      throw new TrustListInvalidError([
        { path: '', message: `is larger than ${MAX_TRUST_LIST_BYTES} bytes` },
      ]);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TrustListInvalidError([{ path: '', message: 'is not JSON' }]);
    }
    return TrustList.fromDocument(json);
  }

  toDocument(): TrustListDocument {
    return structuredClone(this.#document);
  }

  agencies(): string[] {
    return Object.keys(this.#document.agencies);
  }

  /** The agency a signing key id belongs to, whatever its validity. */
  ownerOfSigningKey(keyId: string): string | undefined {
    const key = this.#byKeyId.get(keyId);
    return key?.use === 'signing' ? key.agencyId : undefined;
  }

  signingKey(agencyId: string, keyId: string, at: Date): KeyLookup {
    return this.#lookup(agencyId, 'signing', keyId, at);
  }

  encryptionKey(agencyId: string, keyId: string, at: Date): KeyLookup {
    return this.#lookup(agencyId, 'encryption', keyId, at);
  }

  /** The key to seal to for `agencyId` at `at`: the valid encryption key introduced last. */
  encryptionKeyFor(agencyId: string, at: Date): TrustedKey | undefined {
    const entries = this.#document.agencies[agencyId]?.encryptionKeys ?? [];
    const valid = entries
      .map((entry) => this.#lookup(agencyId, 'encryption', entry.keyId, at))
      .flatMap((lookup) => (lookup.status === 'valid' ? [lookup.key] : []));
    return valid.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime())[0];
  }

  /** @internal the verification key object of a signing key, built once. */
  verifierOf(key: TrustedKey): KeyObject {
    let verifier = this.#verifiers.get(key.keyId);
    if (verifier === undefined) {
      verifier = publicKeyFromRaw('Ed25519', Buffer.from(key.publicKey, 'base64url'));
      this.#verifiers.set(key.keyId, verifier);
    }
    return verifier;
  }

  #lookup(agencyId: string, use: KeyUse, keyId: string, at: Date): KeyLookup {
    const key = this.#byKeyId.get(keyId);
    if (key === undefined || key.agencyId !== agencyId || key.use !== use) return { status: 'unknown' };
    const time = at.getTime();
    if (time < key.notBefore.getTime()) return { status: 'not-yet-valid', key };
    if (key.retiredAt !== undefined && time >= key.retiredAt.getTime())
      return { status: 'retired', key, since: key.retiredAt };
    if (key.notAfter !== undefined && time > key.notAfter.getTime())
      return { status: 'retired', key, since: key.notAfter };
    return { status: 'valid', key };
  }
}

function trusted(agencyId: string, use: KeyUse, entry: TrustedKeyEntry): TrustedKey {
  return {
    agencyId,
    use,
    keyId: entry.keyId,
    publicKey: entry.publicKey,
    notBefore: new Date(entry.notBefore),
    notAfter: entry.notAfter === undefined ? undefined : new Date(entry.notAfter),
    retiredAt: entry.retiredAt === undefined ? undefined : new Date(entry.retiredAt),
  };
}

/**
 * The trust list entries for one of an agency's key generations. They are valid from the generation's
 * creation, before it signs (activeFrom), so partners who add them early verify its first record.
 */
export function trustListEntries(generation: {
  createdAt: Date;
  signingKeyId: string;
  signingPublicKey: string;
  encryptionKeyId: string;
  encryptionPublicKey: string;
}): { signing: TrustedKeyEntry; encryption: TrustedKeyEntry } {
  const notBefore = generation.createdAt.toISOString();
  return {
    signing: { keyId: generation.signingKeyId, publicKey: generation.signingPublicKey, notBefore },
    encryption: { keyId: generation.encryptionKeyId, publicKey: generation.encryptionPublicKey, notBefore },
  };
}
