import { verify as ed25519Verify } from 'node:crypto';
import { SignatureRefusedError } from '@passport/errors';
import { cloudEventSource } from '@passport/events';
import type { RecordSigner } from './agency-keys';
import {
  preAuthEncoding,
  RECORD_PAYLOAD_TYPE,
  recordPayload,
  type KafkaRecord,
  type RecordHeaders,
} from './record-payload';
import { formatSignatureHeader, readSignatureHeader, SIGNATURE_HEADER } from './signature-header';
import type { TrustList } from './trust-list';

export interface VerifiedSender {
  /** The agency whose key signed the record; equal to the record's ce_source. */
  signer: string;
  keyId: string;
}

/** The bytes an Ed25519 signature of this record covers: DSSE PAE over the record's detached payload. */
export function signedBytes(record: KafkaRecord): Buffer {
  return preAuthEncoding(RECORD_PAYLOAD_TYPE, recordPayload(record));
}

/**
 * The record's headers plus its signature header, signed by `signer`'s active key. Refuses a record
 * whose ce_source names another agency: a service never speaks for someone else.
 */
export function signRecord(record: KafkaRecord, signer: RecordSigner): RecordHeaders {
  const source = singleText(record.headers, 'ce_source');
  if (source !== cloudEventSource(signer.agencyId))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNER_MISMATCH',
      `refusing to sign as ${signer.agencyId} a record whose ce_source is not ${cloudEventSource(signer.agencyId)}`,
    );
  const { [SIGNATURE_HEADER]: _replaced, ...headers } = record.headers ?? {};
  const { keyId, signature } = signer.sign(signedBytes(record));
  return { ...headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) };
}

/**
 * Establishes who sent a record, before anything else reads it. In this order, each with its own code:
 * no signature header; malformed header or record beyond the limits; a key id the trust list does not
 * know; a signature that does not verify; ce_source other than the key's agency; a key retired or not
 * yet valid at `at`. Signature before signer, so a mismatch always means that agency really signed it.
 */
export function verifyRecord(record: KafkaRecord, trustList: TrustList, at: Date): VerifiedSender {
  const { keyId, signature } = readSignatureHeader(record.headers);
  const signer = trustList.ownerOfSigningKey(keyId);
  if (signer === undefined)
    throw new SignatureRefusedError('PASSPORT_KEY_UNKNOWN', `signing key ${keyId} is not in the trust list`, {
      details: { keyId },
    });
  const lookup = trustList.signingKey(signer, keyId, at);
  if (lookup.status === 'unknown')
    throw new SignatureRefusedError('PASSPORT_KEY_UNKNOWN', `signing key ${keyId} is not in the trust list`, {
      details: { keyId },
    });
  if (!ed25519Verify(null, signedBytes(record), trustList.verifierOf(lookup.key), signature))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNATURE_INVALID',
      `the signature by ${signer} does not verify`,
      {
        details: { keyId, signer },
      },
    );
  const source = singleText(record.headers, 'ce_source');
  if (source !== cloudEventSource(signer))
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

/** A header's text when it has exactly one value; the signed payload has already bounded its length. */
function singleText(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (Array.isArray(value))
    return value.length === 1 && value[0] !== undefined ? value[0].toString() : undefined;
  return value?.toString();
}
