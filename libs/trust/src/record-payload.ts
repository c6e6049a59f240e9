import { createHash } from 'node:crypto';
import { SignatureRefusedError } from '@passport/errors';

/** kafkajs header values: one value, a repeated header's values, or nothing. */
export type RecordHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type RecordHeaders = Record<string, RecordHeaderValue>;

export interface KafkaRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | null;
  headers: RecordHeaders | undefined;
}

/** DSSE payload type of the detached payload below. */
export const RECORD_PAYLOAD_TYPE = 'application/vnd.passport.kafka-record.v1+json';

/** Kafka's own limit on topic names. */
const MAX_TOPIC_LENGTH = 249;
export const MAX_KEY_BYTES = 1024;
/** Limits on the signed headers: real CloudEvents headers are a few short values. */
export const MAX_SIGNED_HEADER_VALUES = 32;
export const MAX_SIGNED_HEADER_BYTES = 1024;
const MAX_HEADER_NAME_LENGTH = 64;

/** `ce_*` are the CloudEvents attributes; `content-type` is datacontenttype in the Kafka binding. */
export function isSignedHeader(name: string): boolean {
  return name.startsWith('ce_') || name === 'content-type';
}

/**
 * The bytes the signature covers: what a reader relies on, in one unambiguous encoding. A JSON object
 * whose members are in sorted order and hold only strings, null and arrays, so it is its own RFC 8785
 * canonical form: topic, key bytes, SHA-256 of the value bytes, and every value of every signed header,
 * sorted by name. Bytes are base64url, so text decoding can never make two records look alike.
 * Partition, offset, timestamp and other headers (traceparent, dead-letter context) are not covered.
 */
export function recordPayload(record: KafkaRecord): Buffer {
  if (record.topic.length === 0 || record.topic.length > MAX_TOPIC_LENGTH)
    throw invalid('topic', `the topic name must be 1-${MAX_TOPIC_LENGTH} characters`);
  const key = record.key === null ? null : Buffer.from(record.key);
  if (key !== null && key.length > MAX_KEY_BYTES)
    throw invalid('key', `the record key is longer than ${MAX_KEY_BYTES} bytes`);
  const payload = {
    headers: signedHeaders(record.headers),
    key: key === null ? null : key.toString('base64url'),
    topic: record.topic,
    valueSha256: record.value === null ? null : createHash('sha256').update(record.value).digest('base64url'),
  };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

function signedHeaders(headers: RecordHeaders | undefined): [string, string[]][] {
  const signed: [string, string[]][] = [];
  let count = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isSignedHeader(name) || value === undefined) continue;
    if (name.length > MAX_HEADER_NAME_LENGTH)
      throw invalid('headers', `a ce_ header name is longer than ${MAX_HEADER_NAME_LENGTH} characters`);
    const values = Array.isArray(value) ? value : [value];
    count += values.length;
    if (count > MAX_SIGNED_HEADER_VALUES)
      throw invalid('headers', `more than ${MAX_SIGNED_HEADER_VALUES} ce_ and content-type header values`);
    signed.push([name, values.map((one) => headerBytes(name, one).toString('base64url'))]);
  }
  return signed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function headerBytes(name: string, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (bytes.length > MAX_SIGNED_HEADER_BYTES)
    throw invalid('headers', `header ${name} is longer than ${MAX_SIGNED_HEADER_BYTES} bytes`);
  return bytes;
}

/** The bytes an Ed25519 signature of this record covers: DSSE PAE over the record's detached payload. */
export function signedBytes(record: KafkaRecord): Buffer {
  return preAuthEncoding(RECORD_PAYLOAD_TYPE, recordPayload(record));
}

/** `"DSSEv1" SP LEN(type) SP type SP` of each payload type, built once: it never changes. */
const paePrefixes = new Map<string, Buffer>();

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  let prefix = paePrefixes.get(payloadType);
  if (prefix === undefined) {
    const type = Buffer.from(payloadType, 'utf8');
    prefix = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'utf8'), type, Buffer.from(' ', 'utf8')]);
    // Only the few payload types of this library reach here, so the map stays tiny.
    if (paePrefixes.size < 16) paePrefixes.set(payloadType, prefix);
  }
  return Buffer.concat([prefix, Buffer.from(`${payload.length} `, 'utf8'), payload]);
}

/** A header's text when it has exactly one value; the signed payload has already bounded its length. */
export function singleHeaderText(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (Array.isArray(value))
    return value.length === 1 && value[0] !== undefined ? value[0].toString() : undefined;
  return value?.toString();
}

function invalid(field: string, message: string): SignatureRefusedError {
  return new SignatureRefusedError('PASSPORT_SIGNATURE_INVALID', message, { details: { field } });
}
