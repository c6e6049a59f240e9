import { randomUUID } from 'node:crypto';
import type { ConsumerRunConfig, Kafka, KafkaMessage } from 'kafkajs';
import { ReadStalledError } from '@passport/errors';
import type { PartitionSpan } from './positions';

/** A message as read, headers flattened to text (ours are always UTF-8 strings). */
export interface RangeMessage {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /**
   * The key and headers exactly as the broker returned them (bytes, repeated headers kept): what a
   * signature check must read, since flattening to text keeps only each header's first value.
   */
  raw: { key: Buffer | null; headers: KafkaMessage['headers'] };
}

export interface ReadOptions {
  /** Keep reading past the spans' ends until `signal` aborts (tail --follow). */
  follow?: boolean;
  signal?: AbortSignal;
  /** Prefix of the throwaway consumer group; the group is deleted after the read. */
  groupPrefix?: string;
  /** A bounded read that gets no message for this long starts over with a new consumer; default 20 s. */
  stallMs?: number;
}

export function flattenHeaders(headers: KafkaMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) flat[name] = first.toString('utf8');
  }
  return flat;
}

function toRangeMessage(topic: string, partition: number, message: KafkaMessage): RangeMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers: flattenHeaders(message.headers),
    raw: { key: message.key, headers: message.headers },
  };
}

/** What has been read so far; it outlives a consumer that is replaced after a stall. */
interface ReadProgress {
  topic: string;
  /** Spans not yet read to their end; in follow mode they stay open. */
  open: Map<number, PartitionSpan>;
  /** Per partition, the first offset not yet delivered: nothing is delivered twice. */
  next: Map<number, bigint>;
  follow: boolean;
  delivered: number;
  lastProgressAt: number;
  onMessage: (message: RangeMessage) => Promise<void> | void;
}

type ReadEnd = 'finished' | 'stalled';

/** Delivers a batch's messages that fall in the partition's span, and closes the span at its end. */
function batchHandler(
  progress: ReadProgress,
  finish: (end: ReadEnd) => void,
  fail: (error: unknown) => void,
): NonNullable<ConsumerRunConfig['eachBatch']> {
  return async ({ batch, heartbeat, isRunning }) => {
    const span = progress.open.get(batch.partition);
    if (!span) return;
    progress.lastProgressAt = Date.now();
    for (const message of batch.messages) {
      if (!isRunning()) return;
      const offset = BigInt(message.offset);
      if (offset < (progress.next.get(batch.partition) ?? span.start)) continue;
      if (!progress.follow && offset >= span.end) break;
      try {
        await progress.onMessage(toRangeMessage(progress.topic, batch.partition, message));
      } catch (error) {
        // kafkajs would retry a failing batch forever; the caller's error ends the read instead.
        progress.open.clear();
        return fail(error);
      }
      progress.next.set(batch.partition, offset + 1n);
      progress.delivered += 1;
      progress.lastProgressAt = Date.now();
    }
    await heartbeat();
    if (progress.follow) return;
    if (BigInt(batch.lastOffset()) + 1n >= span.end) progress.open.delete(batch.partition);
    if (progress.open.size === 0) finish('finished');
  };
}

/** A bounded read that got no batch for this long is retried with a new consumer. */
const DEFAULT_STALL_MS = 20_000;
const READ_ATTEMPTS = 3;

/**
 * Reads each partition of `topic` from its span's start to its end (in offset order within a
 * partition) and returns how many messages were delivered. A throwaway group that never commits does
 * the fetching, so no real group's position moves; kafkajs can only place a consumer by seeking once
 * it runs.
 *
 * The spans' messages exist, so a bounded read that receives nothing for `stallMs` has lost its
 * consumer (a crash kafkajs did not restart, an assignment that never came); a new consumer then
 * resumes after the last delivered offset, and after three such attempts the read fails with
 * PASSPORT_READ_STALLED instead of hanging. Follow mode waits for new messages as long as it is asked.
 */
export async function readRange(
  kafka: Kafka,
  topic: string,
  spans: readonly PartitionSpan[],
  onMessage: (message: RangeMessage) => Promise<void> | void,
  options: ReadOptions = {},
): Promise<number> {
  const follow = Boolean(options.follow);
  const open = new Map(spans.filter((s) => follow || s.start < s.end).map((s) => [s.partition, s]));
  if (open.size === 0) return 0;
  const next = new Map([...open.values()].map((s) => [s.partition, s.start]));
  const progress: ReadProgress = { topic, open, next, follow, delivered: 0, lastProgressAt: 0, onMessage };
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  for (let attempt = 1; ; attempt += 1) {
    if ((await readWithOneConsumer(kafka, progress, options, stallMs)) === 'finished')
      return progress.delivered;
    if (attempt === READ_ATTEMPTS)
      throw new ReadStalledError(topic, unreadPositions(progress), stallMs, READ_ATTEMPTS);
  }
}

function unreadPositions(progress: ReadProgress): string[] {
  return [...progress.open.values()].map(
    (span) => `${span.partition}@${progress.next.get(span.partition)}..${span.end}`,
  );
}

async function readWithOneConsumer(
  kafka: Kafka,
  progress: ReadProgress,
  options: ReadOptions,
  stallMs: number,
): Promise<ReadEnd> {
  const { topic } = progress;
  const groupId = `${options.groupPrefix ?? 'passport-read'}-${randomUUID()}`;
  // A short fetch wait: a finished or stopped read disconnects without sitting out a long poll.
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  let watchdog: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<ReadEnd>((finish, fail) => {
      const seekToNext = () => {
        for (const partition of progress.open.keys())
          consumer.seek({ topic, partition, offset: String(progress.next.get(partition)) });
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) fail(payload.error);
      });
      // After a crash kafkajs restarts as a new group member that has forgotten the seeks.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (progress.open.size > 0) seekToNext();
      });
      if (options.signal?.aborted) return finish('finished');
      options.signal?.addEventListener('abort', () => finish('finished'), { once: true });
      consumer.run({ autoCommit: false, eachBatch: batchHandler(progress, finish, fail) }).catch(fail);
      seekToNext();
      progress.lastProgressAt = Date.now();
      if (!progress.follow) {
        watchdog = setInterval(
          () => Date.now() - progress.lastProgressAt >= stallMs && finish('stalled'),
          Math.min(1_000, stallMs / 4),
        );
      }
    });
  } finally {
    clearInterval(watchdog);
    await consumer.disconnect();
    await deleteGroupQuietly(kafka, groupId);
  }
}

/**
 * Right after the consumer leaves, the coordinator may still count it as a member and refuse with
 * NON_EMPTY_GROUP; a few short retries get past that. Leaving an empty group behind is harmless.
 */
async function deleteGroupQuietly(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      try {
        await admin.deleteGroups([groupId]);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } catch {
    // No admin connection: the group stays, empty, until the broker expires it.
  } finally {
    await admin.disconnect();
  }
}
