import { verify as ed25519Verify } from 'node:crypto';
import { SignatureRefusedError } from '@passport/errors';
import { cloudEventSource } from '@passport/events';
import { signedBytes, singleHeaderText, type KafkaRecord } from './record-payload';
import { readSignatureHeader } from './signature-header';
import type { KeyLookup, TrustedKey, TrustList } from './trust-list';

export interface VerifiedSender {
  /** The agency whose key signed the record; equal to the record's ce_source. */
  signer: string;
  keyId: string;
}

/**
 * What a received record's signature check needs, read once and bounded: the signature header and the
 * signed bytes (payload and DSSE PAE), built after every length limit has passed.
 */
export interface PreparedRecord {
  keyId: string;
  signature: Buffer;
  signedBytes: Buffer;
  /** The ce_source the record claims, when it has exactly one. */
  source: string | undefined;
}

/** The signing key a prepared record names, as the trust list holds it at `at`. */
export interface SignerLookup {
  signer: string;
  lookup: Exclude<KeyLookup, { status: 'unknown' }>;
}

/**
 * Reads what verification needs: no signature header → PASSPORT_SIGNATURE_MISSING; the header repeated,
 * too long or malformed, or the record beyond the key and header limits → PASSPORT_SIGNATURE_INVALID.
 * Every limit is checked before the bytes behind it are read.
 */
export function prepareRecord(record: KafkaRecord): PreparedRecord {
  const { keyId, signature } = readSignatureHeader(record.headers);
  return {
    keyId,
    signature,
    signedBytes: signedBytes(record),
    source: singleHeaderText(record.headers, 'ce_source'),
  };
}

/** The agency and entry of the key a record names; PASSPORT_KEY_UNKNOWN when the list lacks it. */
export function lookUpSigner(prepared: PreparedRecord, trustList: TrustList, at: Date): SignerLookup {
  const { keyId } = prepared;
  const signer = trustList.ownerOfSigningKey(keyId);
  const lookup = signer === undefined ? undefined : trustList.signingKey(signer, keyId, at);
  if (signer === undefined || lookup === undefined || lookup.status === 'unknown')
    throw new SignatureRefusedError('PASSPORT_KEY_UNKNOWN', `signing key ${keyId} is not in the trust list`, {
      details: { keyId },
    });
  return { signer, lookup };
}

/** The Ed25519 check itself, on the calling thread. */
export function signatureVerifies(prepared: PreparedRecord, key: TrustedKey, trustList: TrustList): boolean {
  return ed25519Verify(null, prepared.signedBytes, trustList.verifierOf(key), prepared.signature);
}

/**
 * The verdict once the signature has been checked against the key `found` names: in this order, a
 * signature that does not verify; ce_source other than the key's agency; a key retired or not yet
 * valid. Signature before signer, so a mismatch always means that agency really signed it.
 */
export function judgeSignedRecord(
  prepared: PreparedRecord,
  { signer, lookup }: SignerLookup,
  signatureValid: boolean,
): VerifiedSender {
  const { keyId } = prepared;
  if (!signatureValid)
    throw new SignatureRefusedError(
      'PASSPORT_SIGNATURE_INVALID',
      `the signature by ${signer} does not verify`,
      {
        details: { keyId, signer },
      },
    );
  if (prepared.source !== cloudEventSource(signer))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNER_MISMATCH',
      `the record is signed by ${signer} but its ce_source is not ${cloudEventSource(signer)}`,
      { details: { keyId, signer } },
    );
  if (lookup.status === 'retired')
    throw new SignatureRefusedError(
      'PASSPORT_KEY_RETIRED',
      `signing key ${keyId} of ${signer} was retired at ${lookup.since.toISOString()}`,
      { details: { keyId, signer } },
    );
  if (lookup.status === 'not-yet-valid')
    throw new SignatureRefusedError(
      'PASSPORT_KEY_NOT_YET_VALID',
      `signing key ${keyId} of ${signer} is valid from ${lookup.key.notBefore.toISOString()}`,
      { details: { keyId, signer } },
    );
  return { signer, keyId };
}

/**
 * Establishes who sent a record, before anything else reads it. In this order, each with its own code:
 * no signature header; malformed header or record beyond the limits; a key id the trust list does not
 * know; a signature that does not verify; ce_source other than the key's agency; a key retired or not
 * yet valid at `at`. Batches verify faster with verifyAhead (batch-verification.ts), same verdicts.
 */
export function verifyRecord(record: KafkaRecord, trustList: TrustList, at: Date): VerifiedSender {
  const prepared = prepareRecord(record);
  const found = lookUpSigner(prepared, trustList, at);
  return judgeSignedRecord(prepared, found, signatureVerifies(prepared, found.lookup.key, trustList));
}
