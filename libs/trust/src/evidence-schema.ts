import { z } from 'zod';
import type { EvidenceEntry } from './evidence-entry';

/** One export line at most: an entry's signed payload is bounded (~45 KiB) by the signing limits. */
export const MAX_EVIDENCE_LINE_BYTES = 128 * 1024;

const hex64 = z
  .string()
  .length(64)
  .regex(/^[0-9a-f]+$/);
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\w-]*$/);
const text = (max: number) => z.string().max(max);

/** Every field bounded; the regular expressions are single character classes, linear in the length. */
const evidenceEntrySchema = z
  .object({
    seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    direction: z.enum(['sent', 'received']),
    topic: text(249).min(1),
    partition: z.number().int().min(0).max(1_000_000),
    offset: z.string().max(19).regex(/^\d+$/),
    key: base64url(1368).nullable(),
    keySha256: base64url(43).nullable(),
    eventId: text(256).nullable(),
    eventType: text(256).nullable(),
    source: text(256).nullable(),
    signerKeyId: base64url(22).nullable(),
    signature: text(256).nullable(),
    signedPayload: text(MAX_EVIDENCE_LINE_BYTES).nullable(),
    valueSha256: base64url(43).nullable(),
    verdict: text(64).regex(/^[\w-]+$/),
    recordedAt: z.iso.datetime(),
    prevHash: hex64,
    entryHash: hex64,
  })
  .strict();

export type EvidenceLineResult =
  { ok: true; entry: EvidenceEntry } | { ok: false; problem: string; seq?: number };

/**
 * One line of an export, checked for length before it is parsed, then for shape; a problem names the
 * field. The seq is returned when it could be read, so the report can name the entry.
 */
export function parseEvidenceLine(line: string): EvidenceLineResult {
  if (Buffer.byteLength(line, 'utf8') > MAX_EVIDENCE_LINE_BYTES)
    return { ok: false, problem: `the line is longer than ${MAX_EVIDENCE_LINE_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'the line is not JSON' };
  }
  const parsed = evidenceEntrySchema.safeParse(json);
  if (parsed.success) return { ok: true, entry: parsed.data };
  const issue = parsed.error.issues[0];
  const seq = (json as { seq?: unknown } | null)?.seq;
  return {
    ok: false,
    problem: `invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    ...(Number.isSafeInteger(seq) ? { seq: seq as number } : {}),
  };
}
