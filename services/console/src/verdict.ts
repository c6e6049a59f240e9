import { isPassportError } from '@passport/errors';
import type { RangeMessage, TopicNames } from '@passport/streams';
import { readSignatureHeader, verifyRecord, type TrustList } from '@passport/trust';

/** Who signed a record and whether the exchange accepts that: `ok`, or the refusal's error code. */
export interface Verdict {
  /** The agency owning the signing key: verified when `verdict` is ok, otherwise only claimed. */
  signer: string | null;
  keyId: string | null;
  verdict: string;
  /** Why it was refused; null when ok. */
  detail: string | null;
}

export interface VerdictOptions {
  /** The exchange's topic names, to recognise dead-letter topics. */
  topics: TopicNames;
  /** Verify at this time instead of the record's broker timestamp. */
  at?: Date;
}

/**
 * The topic a record was signed for. A dead letter keeps the original record's bytes and headers, so
 * its signature verifies against the topic it was refused on (dlq_original_topic, written by the agency
 * that owns the dead-letter topic), which is also where a redrive would publish it.
 */
export function signedTopicOf(message: RangeMessage, topics: TopicNames): string {
  const original = message.headers.dlq_original_topic;
  return topics.agencyOfDeadLetter(message.topic) !== undefined && original ? original : message.topic;
}

/**
 * The record's verdict at its broker timestamp. An audit asks whether the key was valid when the
 * record was written, not now: a record signed before its key was retired stays `ok`. The topics use
 * CreateTime, so that timestamp is the producer's claim; `at` lets the caller verify at another time
 * (e.g. now, as a consumer reading it today would).
 */
export function verdictOf(message: RangeMessage, trustList: TrustList, options: VerdictOptions): Verdict {
  const when = options.at ?? new Date(Number(message.timestamp));
  const record = {
    topic: signedTopicOf(message, options.topics),
    key: message.raw.key,
    value: message.value,
    headers: message.raw.headers,
  };
  try {
    const { signer, keyId } = verifyRecord(record, trustList, when);
    return { signer, keyId, verdict: 'ok', detail: null };
  } catch (error) {
    if (!isPassportError(error)) throw error;
    const keyId = claimedKeyId(message);
    const signer = keyId === null ? null : (trustList.ownerOfSigningKey(keyId) ?? null);
    return { signer, keyId, verdict: error.code, detail: error.message };
  }
}

function claimedKeyId(message: RangeMessage): string | null {
  try {
    return readSignatureHeader(message.raw.headers).keyId;
  } catch {
    return null;
  }
}

/** `signed by bwi (key …): ok`, or what is wrong, on one line. */
export function verdictText(verdict: Verdict): string {
  const by =
    verdict.keyId === null
      ? 'no valid signature'
      : `signed by ${verdict.signer ?? 'unknown'} (key ${verdict.keyId})`;
  return verdict.verdict === 'ok' ? `${by}: ok` : `${by}: ${verdict.verdict} ${verdict.detail ?? ''}`.trim();
}
