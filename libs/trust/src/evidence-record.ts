import { createHash } from 'node:crypto';
import { isPassportError } from '@passport/errors';
import { EVIDENCE_VERIFIED, type EvidenceDirection, type EvidenceFields } from './evidence-entry';
import { MAX_KEY_BYTES, recordPayload, type KafkaRecord, type RecordHeaders } from './record-payload';
import { MAX_SIGNATURE_HEADER_BYTES, readSignatureHeader, SIGNATURE_HEADER } from './signature-header';

/** ce_id, ce_type and ce_source are short; a longer one (a hostile record) is left out, not cut. */
const MAX_ATTRIBUTE_LENGTH = 256;

/** How the consumer judged a record: verified (verifyRecord's answer), or refused with the error. */
export type SignatureVerdict = { signer: string; keyId?: string } | { refusal: unknown };

/**
 * The evidence of one consumed record. Everything is bounded before it is kept: a hostile record (a
 * huge key or header) still gets an entry, with the oversized parts left out and its refusal code.
 * Sent = verified and signed by our own agency (our record, read back from the topic).
 */
export function evidenceOfRecord(
  record: KafkaRecord & { partition: number; offset: string },
  verdict: SignatureVerdict,
  ownAgency: string,
  at: Date,
): EvidenceFields {
  const key = record.key === null ? null : Buffer.from(record.key);
  const direction: EvidenceDirection =
    'signer' in verdict && verdict.signer === ownAgency ? 'sent' : 'received';
  return {
    direction,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: key !== null && key.length <= MAX_KEY_BYTES ? key.toString('base64url') : null,
    keySha256: key === null ? null : sha256(key),
    eventId: attribute(record.headers, 'ce_id'),
    eventType: attribute(record.headers, 'ce_type'),
    source: attribute(record.headers, 'ce_source'),
    signerKeyId: ('keyId' in verdict ? verdict.keyId : undefined) ?? signerKeyId(record.headers),
    signature: signatureText(record.headers),
    signedPayload: signedPayloadText(record),
    valueSha256: record.value === null ? null : sha256(record.value),
    verdict: 'signer' in verdict ? EVIDENCE_VERIFIED : refusalCode(verdict.refusal),
    recordedAt: at.toISOString(),
  };
}

function refusalCode(error: unknown): string {
  return isPassportError(error) ? error.code : 'UNEXPECTED';
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64url');

function singleValue(headers: RecordHeaders | undefined, name: string): Buffer | undefined {
  const value = headers?.[name];
  const single = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return single === undefined ? undefined : Buffer.from(single);
}

/**
 * A header value as the log keeps it: text of at most `maxLength` characters without control
 * characters (PostgreSQL refuses NUL in text, and a partner's bytes must never stop the log), else null.
 * The signature check of an entry applies the same rule to the signed header, so both sides agree.
 */
export function keptHeaderText(bytes: Buffer | undefined, maxLength = MAX_ATTRIBUTE_LENGTH): string | null {
  if (bytes === undefined || bytes.length > maxLength * 4) return null;
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return text.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(text) ? text : null;
}

function attribute(headers: RecordHeaders | undefined, name: string): string | null {
  return keptHeaderText(singleValue(headers, name));
}

function signatureText(headers: RecordHeaders | undefined): string | null {
  const bytes = singleValue(headers, SIGNATURE_HEADER);
  return bytes === undefined || bytes.length > MAX_SIGNATURE_HEADER_BYTES
    ? null
    : keptHeaderText(bytes, MAX_SIGNATURE_HEADER_BYTES);
}

function signerKeyId(headers: RecordHeaders | undefined): string | null {
  try {
    return readSignatureHeader(headers).keyId;
  } catch {
    return null;
  }
}

/** The payload the signature covers; recordPayload refuses (throws) a record beyond the limits. */
function signedPayloadText(record: KafkaRecord): string | null {
  try {
    return recordPayload(record).toString('utf8');
  } catch {
    return null;
  }
}
