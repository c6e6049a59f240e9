import { UsageError } from '@passport/errors';
import { z } from 'zod';

/**
 * A consumer group's committed positions, saved beside an agency's database backup so that a restore
 * puts the group back where the database was. Offsets are decimal strings, as Kafka's admin API has them.
 */
export const SAVED_OFFSETS_FORMAT = 'passport-offsets/1';

const position = z.object({
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  offset: z.string().regex(/^\d+$/, 'a committed offset: a non-negative integer as text'),
});

const savedOffsetsSchema = z.object({
  format: z.literal(SAVED_OFFSETS_FORMAT),
  group: z.string().min(1),
  savedAt: z.string().datetime(),
  positions: z.array(position).min(1),
});

export type SavedOffsets = z.infer<typeof savedOffsetsSchema>;
export type Position = z.infer<typeof position>;

export function parseSavedOffsets(text: string, file: string): SavedOffsets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON: expected a file written by passport offsets export`);
  }
  const parsed = savedOffsetsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** What a topic partition holds now: the first offset still kept and the next one to be written. */
export interface Watermarks {
  low: string;
  high: string;
}

/**
 * Why restoring these positions would lose events, one line per partition; empty when none. A position
 * below the low watermark skips records retention already deleted, one above the high watermark points
 * past the end (another cluster's or an older topic's file) and the group would miss what comes next.
 */
export function restoreProblems(
  positions: readonly Position[],
  watermarksOf: (topic: string, partition: number) => Watermarks | undefined,
): string[] {
  const problems: string[] = [];
  for (const { topic, partition, offset } of positions) {
    const marks = watermarksOf(topic, partition);
    const at = `${topic}/${partition}@${offset}`;
    if (!marks) problems.push(`${at}: no such partition on this cluster`);
    else if (BigInt(offset) < BigInt(marks.low))
      problems.push(
        `${at}: before the first kept offset ${marks.low} (retention deleted the records between)`,
      );
    else if (BigInt(offset) > BigInt(marks.high))
      problems.push(`${at}: past the end of the partition (${marks.high})`);
  }
  return problems;
}
