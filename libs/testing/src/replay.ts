import { toKafkaMessage, type EventCodec, type OutgoingMessage, type PassportEvent } from '@passport/events';
import type { TopicNames } from '@passport/streams';
import { signOutgoing, type RecordSigner } from '@passport/trust';
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
 * events stay on one partition and in order; the recorded traceparent is kept. Re-encoding breaks
 * the recorded signatures: for consumers that verify (agency services), pass `signers` (agency id →
 * its keys) and each event is signed by its `source` for the topic it is written to.
 */
export async function replayToBroker(
  producer: Producer,
  codec: EventCodec,
  records: readonly FixtureRecord[],
  topics: TopicNames,
  signers?: Readonly<Record<string, RecordSigner>>,
): Promise<number> {
  const messages = inTimeOrder(records).map((record) =>
    toKafkaMessage(codec, record.event, record.headers.traceparent),
  );
  const byTopic = new Map<string, typeof messages>();
  for (const outgoing of messages) {
    const actual = topics.actual(outgoing.topic);
    const message = signers === undefined ? outgoing : signedBy(signers, actual, outgoing);
    byTopic.set(actual, [...(byTopic.get(actual) ?? []), message]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map((m) => m.message) })),
  });
  return messages.length;
}

function signedBy(
  signers: Readonly<Record<string, RecordSigner>>,
  topic: string,
  outgoing: OutgoingMessage,
): OutgoingMessage {
  const signer = signers[outgoing.event.source];
  if (signer === undefined)
    throw new Error(
      `replayToBroker: no signer for ${outgoing.event.source}, the source of ${outgoing.event.eventId}`,
    );
  return { ...outgoing, message: signOutgoing(topic, outgoing.message, signer) };
}
