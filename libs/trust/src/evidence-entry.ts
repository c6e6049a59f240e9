import { createHash } from 'node:crypto';

/** Sent: our own signed record, read back from the topic. Received: any other record we consumed. */
export type EvidenceDirection = 'sent' | 'received';

/** The verdict of a record whose signature verified; a refused one carries its refusal code instead. */
export const EVIDENCE_VERIFIED = 'verified';

/** The prev hash of the first entry: nothing comes before it. */
export const EVIDENCE_GENESIS = '0'.repeat(64);

/**
 * What one entry of an agency's evidence log says about one record it sent or received. Bytes are
 * base64url, hashes SHA-256. No value: only its hash, so the log holds no personal data; the signature
 * still re-verifies, because it covers the value's hash, not the value (see `signedPayload`).
 */
export interface EvidenceFields {
  direction: EvidenceDirection;
  topic: string;
  partition: number;
  /** Kafka offset, decimal (int64 does not fit a JSON number). */
  offset: string;
  /** The key bytes, base64url; null when the record has none or it is over the signed-key limit. */
  key: string | null;
  keySha256: string | null;
  /** ce_id, ce_type and ce_source as the record carries them (at most 256 characters each, else null). */
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  /** The key id the signature header names; null when there is none or it is malformed. */
  signerKeyId: string | null;
  /** The passport_signature header text as received (at most 256 bytes), else null. */
  signature: string | null;
  /**
   * The detached DSSE payload the signature covers (topic, key, value hash, ce_* and content-type
   * headers as raw bytes), as its canonical JSON text; null when the record is beyond the signing limits.
   */
  signedPayload: string | null;
  valueSha256: string | null;
  /** `verified`, or the refusal code (PASSPORT_SIGNATURE_MISSING, PASSPORT_KEY_UNKNOWN, …). */
  verdict: string;
  /** When this agency read and judged the record, ISO 8601 UTC; the time its trust list was asked at. */
  recordedAt: string;
}

export interface EvidenceEntry extends EvidenceFields {
  seq: number;
  prevHash: string;
  /** SHA-256 (hex) over the canonical encoding of every other field, prevHash included. */
  entryHash: string;
}

/**
 * RFC 8785 canonical JSON of the entry without its own hash: members in sorted order, values only
 * strings, safe integers and null, which JSON.stringify already writes canonically.
 */
export function canonicalEvidence(entry: Omit<EvidenceEntry, 'entryHash'>): string {
  const members: Record<string, string | number | null> = {
    direction: entry.direction,
    eventId: entry.eventId,
    eventType: entry.eventType,
    key: entry.key,
    keySha256: entry.keySha256,
    offset: entry.offset,
    partition: entry.partition,
    prevHash: entry.prevHash,
    recordedAt: entry.recordedAt,
    seq: entry.seq,
    signature: entry.signature,
    signedPayload: entry.signedPayload,
    signerKeyId: entry.signerKeyId,
    source: entry.source,
    topic: entry.topic,
    valueSha256: entry.valueSha256,
    verdict: entry.verdict,
  };
  return JSON.stringify(members);
}

export function evidenceHash(entry: Omit<EvidenceEntry, 'entryHash'>): string {
  return createHash('sha256').update(canonicalEvidence(entry), 'utf8').digest('hex');
}

/** The next entry of a chain whose last entry is `head` (none: this is the first). */
export function chainEvidence(
  fields: EvidenceFields,
  head: { seq: number; entryHash: string } | undefined,
): EvidenceEntry {
  const unhashed = {
    ...fields,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.entryHash ?? EVIDENCE_GENESIS,
  };
  return { ...unhashed, entryHash: evidenceHash(unhashed) };
}

/** One export line: the entry as canonical JSON with its hash. */
export function evidenceLine(entry: EvidenceEntry): string {
  const canonical = canonicalEvidence(entry);
  return `${canonical.slice(0, -1)},"entryHash":${JSON.stringify(entry.entryHash)}}`;
}
