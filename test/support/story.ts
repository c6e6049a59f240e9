import { randomUUID } from 'node:crypto';
import { createKafka, createSchemaRegistry, createTopicsWhenReadable } from '@passport/bus';
import { EventCodec, REGISTRY_AVRO_OPTIONS, toKafkaMessage } from '@passport/events';
import { topicNames, type TopicNames } from '@passport/streams';
import { logLevel, Partitioners, type Kafka } from 'kafkajs';
import { SAMPLE_EVENTS } from '../fixtures/events';
import { adminConnection, uniqueName } from './cluster';

/** Every Date inside `value` moved by `days`, so a shifted story keeps its own rules (deadlines after requests). */
function shiftDates(value: unknown, days: number): unknown {
  if (value instanceof Date) return new Date(value.getTime() + days * 86_400_000);
  if (Array.isArray(value)) return value.map((item) => shiftDates(item, days));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, shiftDates(child, days)]));
  return value;
}

/** The samples re-keyed to a request of their own, ids renamed consistently, times shifted by `days`. */
export function freshStory(days = 0): Record<string, unknown>[] {
  const requestId = randomUUID();
  const ids = new Map<string, string>();
  const renamed = (id: string | null | undefined) =>
    id ? (ids.get(id) ?? ids.set(id, randomUUID()).get(id)) : null;
  return SAMPLE_EVENTS.map((sample) => ({
    ...(shiftDates(sample, days) as Record<string, unknown>),
    eventId: renamed(sample.eventId),
    causationId: renamed(sample.causationId),
    requestId,
    correlationId: requestId,
  }));
}

/** Everything a test needs to own a private copy of the exchange's topics on the shared cluster. */
export interface PrivateExchange {
  kafka: Kafka;
  codec: EventCodec;
  topics: TopicNames;
  publish(events: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function privateExchange(partitions = 3): Promise<PrivateExchange> {
  const kafka = createKafka(adminConnection(), { clientId: 'passport-it', logLevel: logLevel.NOTHING });
  const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  const topics = topicNames(`.${uniqueName('it')}`);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  const names = [...topics.events, ...topics.deadLetters];
  try {
    await createTopicsWhenReadable(
      admin,
      names.map((topic) => ({ topic, numPartitions: partitions })),
    );
  } catch (error) {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    throw error;
  }
  return {
    kafka,
    codec,
    topics,
    async publish(events) {
      for (const input of events) {
        const { topic, message } = toKafkaMessage(codec, input);
        await producer.send({ topic: topics.actual(topic), acks: -1, messages: [message] });
      }
    },
    async close() {
      await producer.disconnect();
      await admin.deleteTopics({ topics: names }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
