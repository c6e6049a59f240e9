import { toKafkaMessage, type EventCodec, type PassportEvent } from '@passport/events';
import type { TopicNames } from '@passport/streams';
import type { Producer } from 'kafkajs';
import { inTimeOrder, type FixtureRecord } from './fixtures';

export type FixtureHandler<Result> = (
  event: PassportEvent,
  record: FixtureRecord,
) => Promise<Result> | Result;

/**
 * Feeds fixtures to a handler in time order, with no broker: the handler sees exactly the events a
 * consumer would decode, and what it returns is collected for assertions.
 */
export async function replayInProcess<Result>(
  records: readonly FixtureRecord[],
  handler: FixtureHandler<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  for (const record of inTimeOrder(records)) results.push(await handler(record.event, record));
  return results;
}

/**
 * Publishes fixtures to the real broker, re-encoded through the registry (the schema ids of the
 * cluster they came from need not exist here). Keys follow the contract (requestId), so a request's
 * events stay on one partition and in order; the recorded traceparent is kept.
 */
export async function replayToBroker(
  producer: Producer,
  codec: EventCodec,
  records: readonly FixtureRecord[],
  topics: TopicNames,
): Promise<number> {
  const messages = inTimeOrder(records).map((record) =>
    toKafkaMessage(codec, record.event, record.headers.traceparent),
  );
  const byTopic = new Map<string, typeof messages>();
  for (const message of messages) {
    const actual = topics.actual(message.topic);
    byTopic.set(actual, [...(byTopic.get(actual) ?? []), message]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map((m) => m.message) })),
  });
  return messages.length;
}
