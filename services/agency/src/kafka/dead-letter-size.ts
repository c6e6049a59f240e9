import type { IHeaders } from 'kafkajs';

/** A dead letter as it will be produced: the poison message's key, value and headers, plus ours. */
export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** The original message's headers, as the partner sent them. */
  headers: ReadonlyArray<readonly [string, Buffer]>;
  /** Our `dlq_*` context; short by construction, never cut. */
  context: Readonly<Record<string, string>>;
}

export interface FittedDeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** What was cut, e.g. `value 2097152` (its size before), or undefined when the record fit. */
  truncated: string | undefined;
}

/**
 * Kafka's v2 record batch: 61 bytes of batch header, and per record at most 5+1+10+5+5+5+5 bytes of
 * varints and attributes around the key, value and header count; each header adds two varints (≤10).
 * The reserve also covers the `dlq_truncated` header this module may add.
 */
const BATCH_AND_RECORD_RESERVE = 1_024;
const PER_HEADER_OVERHEAD = 10;
/** Limits applied only to a record that does not fit: the original value takes what is left. */
const KEPT_KEY_BYTES = 256;
const KEPT_HEADER_NAME_BYTES = 256;
const KEPT_HEADER_VALUE_BYTES = 1_024;

const headerSize = (name: string, value: Buffer) =>
  PER_HEADER_OVERHEAD + Buffer.byteLength(name) + value.length;

/** The original headers flattened to (name, bytes) pairs; kafkajs allows a list of values per name. */
export function headerPairs(headers: IHeaders | undefined): Array<[string, Buffer]> {
  const pairs: Array<[string, Buffer]> = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined) pairs.push([name, Buffer.isBuffer(item) ? item : Buffer.from(String(item))]);
  }
  return pairs;
}

/** Headers with long names dropped and long values cut, within `budget` bytes; counts what changed. */
function shrinkHeaders(headers: DeadLetterRecord['headers'], budget: number) {
  const kept: Array<[string, Buffer]> = [];
  let used = 0;
  let changed = 0;
  for (const [name, value] of headers) {
    const cut = value.length > KEPT_HEADER_VALUE_BYTES ? value.subarray(0, KEPT_HEADER_VALUE_BYTES) : value;
    const size = headerSize(name, cut);
    if (Buffer.byteLength(name) > KEPT_HEADER_NAME_BYTES || used + size > budget) {
      changed += 1;
      continue;
    }
    if (cut !== value) changed += 1;
    kept.push([name, cut]);
    used += size;
  }
  return { kept, used, changed };
}

function asHeaders(
  pairs: ReadonlyArray<readonly [string, Buffer]>,
  context: Record<string, string>,
): IHeaders {
  const headers: Record<string, Buffer[]> = {};
  for (const [name, value] of pairs) (headers[name] ??= []).push(value);
  return { ...headers, ...context };
}

/**
 * Shapes a dead letter so that producing it cannot fail for size: a record that fits under
 * `maxMessageBytes` is kept whole; otherwise the key and the original headers are cut to small bounds
 * (only if they are large themselves) and the original value to what room is left, and a
 * `dlq_truncated` header names each part cut with its size before (`value 2097152`). A truncated dead
 * letter is for inspection only; the console refuses to redrive it.
 */
export function fitDeadLetter(record: DeadLetterRecord, maxMessageBytes: number): FittedDeadLetter {
  const limit = maxMessageBytes - BATCH_AND_RECORD_RESERVE;
  const contextSize = Object.entries(record.context).reduce(
    (sum, [name, value]) => sum + headerSize(name, Buffer.from(value)),
    0,
  );
  // A partner's own dlq_* headers would pass for our context; they are not kept.
  const originalHeaders = record.headers.filter(([name]) => !name.startsWith('dlq_'));
  const headersSize = originalHeaders.reduce((sum, [name, value]) => sum + headerSize(name, value), 0);
  const keySize = record.key?.length ?? 0;
  const valueSize = record.value?.length ?? 0;
  if (contextSize + headersSize + keySize + valueSize <= limit)
    return {
      key: record.key,
      value: record.value,
      headers: asHeaders(originalHeaders, { ...record.context }),
      truncated: undefined,
    };

  const notes: string[] = [];
  let key = record.key;
  if (key && key.length > KEPT_KEY_BYTES) {
    notes.push(`key ${key.length}`);
    key = key.subarray(0, KEPT_KEY_BYTES);
  }
  // Headers keep at most a quarter of the room, so the value (what an admin needs to see) has the rest.
  const headerBudget = Math.floor(limit / 4);
  let headers: ReadonlyArray<readonly [string, Buffer]> = originalHeaders;
  let headerBytes = headersSize;
  if (headersSize > headerBudget) {
    const shrunk = shrinkHeaders(originalHeaders, headerBudget);
    notes.push(`headers ${shrunk.changed} of ${originalHeaders.length}`);
    headers = shrunk.kept;
    headerBytes = shrunk.used;
  }
  let value = record.value;
  const room = Math.max(0, limit - contextSize - headerBytes - (key?.length ?? 0));
  if (value && value.length > room) {
    notes.push(`value ${value.length}`);
    value = value.subarray(0, room);
  }
  const truncated = notes.join(', ');
  return {
    key,
    value,
    headers: asHeaders(headers, { ...record.context, dlq_truncated: truncated }),
    truncated,
  };
}
