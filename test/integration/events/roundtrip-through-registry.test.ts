import { randomUUID } from 'node:crypto';
import { ConfluentSchemaRegistryError } from '@kafkajs/confluent-schema-registry/dist/errors';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import {
  EventCodec,
  EVENT_TOPICS,
  fromKafkaMessage,
  REGISTRY_AVRO_OPTIONS,
  toKafkaMessage,
  validateOutgoing,
  type EventTopic,
  type PassportEvent,
} from '@passport/events';
import { logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import { CONTRACT_SAMPLES } from '../../fixtures/events';
import { adminConnection, agencyConnection, uniqueName } from '../../support/cluster';

/** The samples re-keyed to a request of their own, so this run's events are told apart on shared topics. */
function freshStory(): unknown[] {
  const requestId = randomUUID();
  const ids = new Map<string, string>();
  const renamed = (id: string | null | undefined) =>
    id ? (ids.get(id) ?? ids.set(id, randomUUID()).get(id)) : null;
  return CONTRACT_SAMPLES.map((sample) => ({
    ...sample,
    eventId: renamed(sample.eventId),
    causationId: renamed(sample.causationId),
    requestId,
    correlationId: requestId,
  }));
}

async function readUntil(topic: string, key: string, count: number): Promise<KafkaMessage[]> {
  const consumer = createKafka(adminConnection(), {
    clientId: 'events-it',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: uniqueName('test.events') });
  await consumer.connect();
  const seen: KafkaMessage[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`saw ${seen.length} of ${count} events on ${topic}`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== key) return;
          seen.push(message);
          if (seen.length === count) {
            clearTimeout(timer);
            resolvePromise();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('every event type through the real registry and broker', () => {
  it('is published by its source agency and read back identical, with its CloudEvents headers', async () => {
    const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
    const story = freshStory();
    const outgoing = story.map((event) => toKafkaMessage(codec, event));
    const requestId = outgoing[0]?.event.requestId as string;

    for (const { topic, event, message } of outgoing) {
      const producer = createKafka(agencyConnection(event.source), {
        clientId: `${event.source}.events-it`,
        logLevel: logLevel.NOTHING,
      }).producer({
        idempotent: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [message] });
      await producer.disconnect();
    }

    const received: PassportEvent[] = [];
    for (const topic of EVENT_TOPICS) {
      const expected = outgoing.filter((o) => o.topic === topic).length;
      for (const message of await readUntil(topic, requestId, expected)) {
        const { event, attributes } = await fromKafkaMessage(codec, topic, {
          value: message.value,
          headers: message.headers,
        });
        expect(attributes.id).toBe(event.eventId);
        received.push(event);
      }
    }
    const byId = (a: PassportEvent, b: PassportEvent) => a.eventId.localeCompare(b.eventId);
    expect(received.sort(byId)).toEqual(story.map((event) => validateOutgoing(event)).sort(byId));
    expect(received.find((e) => e.type === 'CooperationRequested')?.occurredAt).toBeInstanceOf(Date);
  });

  it('decodes in a generic Confluent-format client that knows nothing but the registry', async () => {
    const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
    const [request] = freshStory();
    const { message } = toKafkaMessage(codec, request);
    const generic = createSchemaRegistry(adminConnection());
    const decoded = (await generic.decode(message.value)) as {
      requestId: string;
      payload: Record<string, { profile: { title: string } }>;
    };
    expect(decoded.requestId).toBe(message.key);
    expect(decoded.payload['eu.fourmotors.passport.CooperationRequested']?.profile.title).toBe(
      'Distribution partner for precision gearbox components',
    );
  });

  it('refuses to start when the registry lacks the schema this build was made with', async () => {
    const registry = createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS);
    const lookup = jest
      .spyOn(registry, 'getRegistryIdBySchema')
      // What the client library throws for the registry's 404 answer.
      .mockRejectedValue(new ConfluentSchemaRegistryError(new Error('Schema not found')));
    await expect(EventCodec.create(registry, ['passport.outcomes.v1' as EventTopic])).rejects.toMatchObject({
      code: 'PASSPORT_SCHEMA_NOT_REGISTERED',
      message: expect.stringContaining('passport.outcomes.v1-value'),
    });
    lookup.mockRestore();
  });
});
