import type { FieldIssue } from './catalogue';
import { PassportError, type PassportErrorOptions } from './passport-error';

/**
 * The agency's key directory or one of its files can be read by others than its owner, or is not a
 * plain directory/file. Keys are refused rather than used: a key others could have copied proves nothing.
 */
export class KeyStoreInsecureError extends PassportError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('PASSPORT_KEY_STORE_INSECURE', message, { details: { path } });
  }
}

/** A key file that cannot be read as one of our key generations; never repaired silently. */
export class KeyStoreCorruptError extends PassportError {
  constructor(
    readonly path: string,
    message: string,
    options: PassportErrorOptions = {},
  ) {
    super('PASSPORT_KEY_STORE_CORRUPT', message, { ...options, details: { path, ...options.details } });
  }
}

/** A trust list that breaks its schema; every issue names the field. */
export class TrustListInvalidError extends PassportError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      'PASSPORT_TRUST_LIST_INVALID',
      `the trust list is invalid at ${first?.path || '(root)'}: ${first?.message}${more}`,
      { details: { path: first?.path ?? '' } },
    );
    this.issues = Object.freeze([...issues]);
  }
}

export type SignatureRefusalCode =
  | 'PASSPORT_SIGNATURE_MISSING'
  | 'PASSPORT_KEY_UNKNOWN'
  | 'PASSPORT_KEY_RETIRED'
  | 'PASSPORT_KEY_NOT_YET_VALID'
  | 'PASSPORT_SIGNER_MISMATCH'
  | 'PASSPORT_SIGNATURE_INVALID';

/**
 * A record whose sender the exchange cannot establish (DESIGN.md §7). Never retriable: the same bytes
 * against the same trust list get the same answer, so the record is parked and nothing is applied.
 */
export class SignatureRefusedError extends PassportError {
  constructor(code: SignatureRefusalCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { ...options, retriable: false });
  }
}

/** A sealed field that is malformed, too long, or fails to open under the event it sits in. */
export class SealInvalidError extends PassportError {
  constructor(message: string, options: PassportErrorOptions = {}) {
    super('PASSPORT_SEAL_INVALID', message, { ...options, retriable: false });
  }
}

/**
 * A well-formed sealed field whose private key is not held here: sealed to another recipient, or the key
 * was destroyed by an erasure. An expected state after erasure, so kept apart from tampering.
 */
export class SealKeyUnavailableError extends PassportError {
  constructor(readonly keyId: string) {
    super(
      'PASSPORT_SEAL_KEY_UNAVAILABLE',
      `no private key ${keyId} is held here (erased, or sealed to another)`,
      {
        details: { keyId },
      },
    );
  }
}

/**
 * `passport verify` found records the exchange would refuse. The failures themselves are printed one
 * by one; this only ends the command with exit 1, so scripts and CI notice.
 */
export class VerificationFailedError extends PassportError {
  constructor(
    readonly failed: number,
    readonly checked: number,
  ) {
    super('PASSPORT_VERIFICATION_FAILED', `${failed} of ${checked} records failed verification`, {
      details: { failed, checked },
      retriable: false,
    });
  }
}

/**
 * `passport import` would publish records without a valid signature, which every agency service parks;
 * nothing was published. Each refusal names the file line and why.
 */
export class ImportRefusedError extends PassportError {
  constructor(
    refusals: readonly { line: number; reason: string }[],
    readonly total: number,
  ) {
    const named = refusals.slice(0, 10).map((r) => `line ${r.line}: ${r.reason}`);
    const more = refusals.length > named.length ? `; and ${refusals.length - named.length} more` : '';
    super(
      'PASSPORT_IMPORT_REFUSED',
      `${refusals.length} of ${total} records refused, nothing published (--allow-unsigned publishes them ` +
        `re-encoded without a signature, for scratch topics): ${named.join('; ')}${more}`,
      { details: { refused: refusals.length, total }, retriable: false },
    );
  }
}

/**
 * A key rotation statement that is not applied: malformed, not signed by the agency's current key and
 * its next one, or announcing keys for another agency than the one that signed the record carrying it.
 * Never retriable: the statement is parked and the trust list stays as it was. `reason` is the code of
 * the underlying refusal (e.g. PASSPORT_SIGNATURE_INVALID) or a rule name.
 */
export class RotationRefusedError extends PassportError {
  constructor(
    readonly agencyId: string,
    readonly reason: string,
    message: string,
    options: PassportErrorOptions = {},
  ) {
    super('PASSPORT_ROTATION_REFUSED', message, {
      ...options,
      retriable: false,
      details: { agencyId, reason, ...options.details },
    });
  }
}

/** An evidence log that fails verification: a broken chain or a signature that no longer verifies. */
export class EvidenceInvalidError extends PassportError {
  constructor(
    readonly failures: number,
    message: string,
  ) {
    super('PASSPORT_EVIDENCE_INVALID', message, { details: { failures } });
  }
}

/**
 * Two writers extended the agency's evidence log from the same entry (two service processes on one
 * database): the write is refused so the chain stays one line; retriable, the next try reads the new head.
 */
export class EvidenceChainForkedError extends PassportError {
  constructor(readonly seq: number) {
    super('PASSPORT_EVIDENCE_CHAIN_FORKED', `evidence entry ${seq} was written by another process`, {
      retriable: true,
      details: { seq },
    });
  }
}
