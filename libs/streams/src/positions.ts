import type { Admin } from 'kafkajs';

/** A point on a topic: an offset (same number on every partition) or a moment in time. */
export type Position = { offset: bigint } | { time: Date };

export interface PartitionSpan {
  partition: number;
  /** First offset to read. */
  start: bigint;
  /** First offset not to read. */
  end: bigint;
}

/** Parses `--from`/`--to` values: digits are an offset, anything else must be an ISO 8601 time. */
export function parsePosition(text: string): Position | undefined {
  if (/^\d+$/.test(text)) return { offset: BigInt(text) };
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? undefined : { time };
}

const clamp = (value: bigint, low: bigint, high: bigint) => (value < low ? low : value > high ? high : value);

async function offsetsAt(admin: Admin, topic: string, time: Date): Promise<Map<number, bigint>> {
  const found = await admin.fetchTopicOffsetsByTimestamp(topic, time.getTime());
  // Kafka answers -1 when no message is at or after the time: that partition's end.
  return new Map(found.map((entry) => [entry.partition, BigInt(entry.offset)]));
}

/**
 * The offsets to read on each partition between two positions, resolved once against the watermarks
 * of now: a range read ends, it never waits for messages written after it started.
 */
export async function resolveSpans(
  admin: Admin,
  topic: string,
  from?: Position,
  to?: Position,
): Promise<PartitionSpan[]> {
  const watermarks = await admin.fetchTopicOffsets(topic);
  const fromTimes = from && 'time' in from ? await offsetsAt(admin, topic, from.time) : undefined;
  const toTimes = to && 'time' in to ? await offsetsAt(admin, topic, to.time) : undefined;
  return watermarks.map(({ partition, low, high }) => {
    const lowest = BigInt(low);
    const highest = BigInt(high);
    const pick = (
      position: Position | undefined,
      times: Map<number, bigint> | undefined,
      fallback: bigint,
    ) => {
      if (!position) return fallback;
      if ('offset' in position) return position.offset;
      const offset = times?.get(partition) ?? -1n;
      return offset < 0n ? highest : offset;
    };
    const start = clamp(pick(from, fromTimes, lowest), lowest, highest);
    // An offset given for `--to` is inclusive, as people read it; a time is exclusive.
    const toOffset = to && 'offset' in to ? to.offset + 1n : pick(to, toTimes, highest);
    return { partition, start, end: clamp(toOffset, start, highest) };
  });
}
