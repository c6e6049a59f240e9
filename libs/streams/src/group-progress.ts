import { GroupBehindError } from '@passport/errors';
import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset, or null when it never committed on this partition. */
  committed: bigint | null;
  high: bigint;
  lag: bigint;
}

/** How far a group is behind on each partition of the given topics. */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const watermarks = await admin.fetchTopicOffsets(topic);
    for (const { partition, high, low } of watermarks) {
      const entry = partitions.find((p) => p.partition === partition);
      const offset = entry && entry.offset !== '-1' ? BigInt(entry.offset) : null;
      const lag = BigInt(high) - (offset ?? BigInt(low));
      lags.push({ topic, partition, committed: offset, high: BigInt(high), lag: lag < 0n ? 0n : lag });
    }
  }
  return lags;
}

export interface WaitOptions {
  /** Give up after this long; the error says which partitions were still behind. */
  timeoutMs?: number;
  /** Between two looks at the offsets; polling is the only way Kafka tells a group's progress. */
  pollMs?: number;
}

/**
 * Resolves once `groupId` has committed up to the high watermark, as it stood when the wait began, on
 * every partition of `topics`: whatever was written before the call has been consumed.
 */
export async function waitForGroupCaughtUp(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  options: WaitOptions = {},
): Promise<void> {
  const targets = new Map<string, bigint>();
  for (const topic of topics)
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      targets.set(`${topic}/${partition}`, BigInt(high));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const behind = (await admin.fetchOffsets({ groupId, topics: [...topics] })).flatMap(
      ({ topic, partitions }) =>
        partitions
          .filter((p) => {
            const target = targets.get(`${topic}/${p.partition}`) ?? 0n;
            return target > 0n && (p.offset === '-1' ? 0n : BigInt(p.offset)) < target;
          })
          .map((p) => `${topic}/${p.partition}`),
    );
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new GroupBehindError(groupId, behind, options.timeoutMs ?? 30_000);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
