import { randomUUID } from 'node:crypto';
import type { ConsumerRunConfig, Kafka, KafkaMessage } from 'kafkajs';
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
}

export interface ReadOptions {
  /** Keep reading past the spans' ends until `signal` aborts (tail --follow). */
  follow?: boolean;
  signal?: AbortSignal;
  /** Prefix of the throwaway consumer group; the group is deleted after the read. */
  groupPrefix?: string;
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
  };
}

interface ReadState {
  topic: string;
  open: Map<number, PartitionSpan>;
  follow: boolean;
  delivered: number;
  onMessage: (message: RangeMessage) => Promise<void> | void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Delivers a batch's messages that fall in the partition's span, and closes the span at its end. */
function batchHandler(state: ReadState): NonNullable<ConsumerRunConfig['eachBatch']> {
  return async ({ batch, heartbeat, isRunning }) => {
    const span = state.open.get(batch.partition);
    if (!span) return;
    for (const message of batch.messages) {
      if (!isRunning()) return;
      const offset = BigInt(message.offset);
      if (offset < span.start) continue;
      if (!state.follow && offset >= span.end) break;
      try {
        await state.onMessage(toRangeMessage(state.topic, batch.partition, message));
      } catch (error) {
        // kafkajs would retry a failing batch forever; the caller's error ends the read instead.
        state.open.clear();
        return state.reject(error);
      }
      state.delivered += 1;
    }
    await heartbeat();
    if (state.follow) return;
    if (BigInt(batch.lastOffset()) + 1n >= span.end) state.open.delete(batch.partition);
    if (state.open.size === 0) state.resolve();
  };
}

/**
 * Reads each partition of `topic` from its span's start to its end (in offset order within a
 * partition) and returns how many messages were delivered. A throwaway group that never commits does
 * the fetching, so no real group's position moves; kafkajs can only place a consumer by seeking once
 * it runs.
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
  const groupId = `${options.groupPrefix ?? 'passport-read'}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let state: ReadState | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      state = { topic, open, follow, delivered: 0, onMessage, resolve, reject };
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
      consumer.run({ autoCommit: false, eachBatch: batchHandler(state) }).catch(reject);
      for (const span of open.values())
        consumer.seek({ topic, partition: span.partition, offset: String(span.start) });
    });
  } finally {
    await consumer.disconnect();
  }
  await deleteGroupQuietly(kafka, groupId);
  return state?.delivered ?? 0;
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
