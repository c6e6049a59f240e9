import type { RangeMessage } from '@passport/streams';
import type { RecordHeaders } from '@passport/trust';
import { z } from 'zod';

/**
 * A record's bytes exactly as the broker held them (base64), kept beside the decoded event in an
 * export: the signature covers the key, the value's SHA-256 and the CloudEvents headers as bytes, so
 * only these bytes, published unchanged, still verify after an import.
 */
export interface OriginalRecord {
  key: string | null;
  value: string | null;
  /** Every header value in the order read; a repeated header appears once per value. */
  headers: [string, string][];
}

export function originalOf(message: RangeMessage): OriginalRecord {
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(message.raw.headers ?? {})) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.push([name, Buffer.from(one).toString('base64')]);
  }
  return {
    key: message.raw.key === null ? null : message.raw.key.toString('base64'),
    value: message.value === null ? null : message.value.toString('base64'),
    headers,
  };
}

/** Linear regex; the lengths are checked first by zod's max. */
const base64 = (maxChars: number) =>
  z
    .string()
    .max(maxChars)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** Limits well above the exchange's own records (values of a few KiB, ~10 headers of short text). */
const originalSchema = z
  .object({
    key: base64(4 * 1024).nullable(),
    value: base64(4 * 1024 * 1024).nullable(),
    headers: z.array(z.tuple([z.string().min(1).max(249), base64(16 * 1024)])).max(64),
  })
  .strict();

/** The bytes to publish again, as kafkajs takes them. */
export interface OriginalBytes {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
}

/** An export line's `original`, checked; a reason naming the field when it is missing or malformed. */
export function parseOriginal(value: unknown): { bytes: OriginalBytes } | { reason: string } {
  if (value === undefined)
    return { reason: 'no original bytes (exported before exports kept them, or written by hand)' };
  const parsed = originalSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `original.${issue?.path.join('.')}: ${issue?.message}` };
  }
  // A Map, so a header named __proto__ is only a name.
  const headers = new Map<string, Buffer[]>();
  for (const [name, text] of parsed.data.headers)
    headers.set(name, [...(headers.get(name) ?? []), Buffer.from(text, 'base64')]);
  return {
    bytes: {
      key: parsed.data.key === null ? null : Buffer.from(parsed.data.key, 'base64'),
      value: parsed.data.value === null ? null : Buffer.from(parsed.data.value, 'base64'),
      headers: Object.fromEntries(
        [...headers].map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
      ),
    },
  };
}
