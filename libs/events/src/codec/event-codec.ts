import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { ConfluentSchemaRegistryError } from '@kafkajs/confluent-schema-registry/dist/errors';
import { valueSubject } from '@passport/config';
import {
  EventDecodeError,
  EventValidationError,
  RegistryUnavailableError,
  SchemaNotRegisteredError,
  type FieldIssue,
} from '@passport/errors';
import type * as avro from 'avsc';
import { definitionOf, EVENT_TOPICS, TOPIC_RECORDS, type EventTopic, type PassportEvent } from '../catalogue';
import { assembleSchema } from '../schema/schema-files';
import { validateIncoming, validateOutgoing } from '../validate';
import { fromAvroRecord, toAvroRecord, unionShapeOf, type UnionShape } from './avro-mapping';
import { AVRO_OPTIONS, avroType } from './avro-types';
import { frame, unframe } from './wire-format';

/**
 * Only the registry's 404 means the schema is missing: the client library turns that one answer into a
 * ConfluentSchemaRegistryError and passes anything else (timeouts, 5xx, refused connections) on as is.
 */
const meansNotRegistered = (error: unknown) =>
  // Exactly that class: its subclasses report bad arguments, not a missing schema.
  (error as object | null)?.constructor === ConfluentSchemaRegistryError;

interface TopicSchema {
  readonly topic: EventTopic;
  readonly subject: string;
  readonly schemaId: number;
  readonly type: avro.Type;
  readonly shape: UnionShape;
}

/** The schema a topic's values are written with, assembled from schemas/ exactly as it is registered. */
export function topicSchema(topic: EventTopic): object {
  return assembleSchema(TOPIC_RECORDS[topic].record);
}

/** The avsc options every registry client of the codec must be created with (logical types, unions). */
export const REGISTRY_AVRO_OPTIONS = { [SchemaType.AVRO]: AVRO_OPTIONS };

function avroIssues(type: avro.Type, value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  type.isValid(value, {
    errorHook: (path: string[], _value: unknown, fieldType: avro.Type) =>
      issues.push({ path: path.join('.'), message: `does not fit Avro type ${fieldType.typeName}` }),
  });
  return issues;
}

/**
 * Encodes events to the Confluent wire format and back, validating both ways. Schema ids are looked up
 * once, at creation: a registry that lacks this build's schemas stops the service at start, not at the
 * first event. Writers' schemas met while decoding are fetched once per id and resolved against ours.
 */
export class EventCodec {
  private readonly resolvers = new Map<number, avro.Resolver>();

  private constructor(
    private readonly registry: SchemaRegistry,
    private readonly topics: ReadonlyMap<EventTopic, TopicSchema>,
  ) {}

  /** `registry` must be created with REGISTRY_AVRO_OPTIONS. */
  static async create(
    registry: SchemaRegistry,
    topics: readonly EventTopic[] = EVENT_TOPICS,
  ): Promise<EventCodec> {
    const entries = await Promise.all(
      topics.map(async (topic): Promise<[EventTopic, TopicSchema]> => {
        const schema = topicSchema(topic);
        const subject = valueSubject(topic);
        let schemaId: number;
        try {
          schemaId = await registry.getRegistryIdBySchema(subject, {
            type: SchemaType.AVRO,
            schema: JSON.stringify(schema),
          });
        } catch (error) {
          if (meansNotRegistered(error)) throw new SchemaNotRegisteredError(subject, { cause: error });
          throw new RegistryUnavailableError(`looking up ${subject}`, { cause: error });
        }
        const type = avroType(schema);
        return [topic, { topic, subject, schemaId, type, shape: unionShapeOf(type) }];
      }),
    );
    return new EventCodec(registry, new Map(entries));
  }

  schemaIdOf(topic: EventTopic): number {
    return this.schemaFor(topic).schemaId;
  }

  /** Validates, then encodes; returns the topic the event belongs on and the framed value. */
  encode(input: unknown): { topic: EventTopic; event: PassportEvent; value: Buffer } {
    const event = validateOutgoing(input);
    const definitionTopic = definitionOf(event.type)?.topic as EventTopic;
    const schema = this.schemaFor(definitionTopic);
    const record = toAvroRecord(event as unknown as PassportEvent & Record<string, unknown>, schema.shape);
    const issues = avroIssues(schema.type, record);
    if (issues.length > 0)
      throw new EventValidationError(event.type, issues, { details: { direction: 'outgoing' } });
    return { topic: definitionTopic, event, value: frame(schema.schemaId, schema.type.toBuffer(record)) };
  }

  /** Decodes a value read from `topic` and validates it; throws EventDecodeError or EventValidationError. */
  async decode(topic: EventTopic, value: Buffer | null | undefined): Promise<PassportEvent> {
    const schema = this.schemaFor(topic);
    const { schemaId, body } = unframe(value);
    let record: Record<string, unknown>;
    try {
      const resolver = schemaId === schema.schemaId ? undefined : await this.resolverFor(schema, schemaId);
      record = schema.type.fromBuffer(body, resolver) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof EventDecodeError) throw error;
      throw new EventDecodeError(
        `cannot decode a ${topic} value written with schema id ${schemaId}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return validateIncoming(fromAvroRecord(record, schema.shape));
  }

  private schemaFor(topic: EventTopic): TopicSchema {
    const schema = this.topics.get(topic);
    if (!schema) throw new Error(`this codec was not created for topic ${topic}`);
    return schema;
  }

  private async resolverFor(schema: TopicSchema, writerId: number): Promise<avro.Resolver> {
    const cached = this.resolvers.get(writerId);
    if (cached) return cached;
    let writer: avro.Type;
    try {
      writer = (await this.registry.getSchema(writerId)) as unknown as avro.Type;
    } catch (error) {
      // 404: the id does not exist, no retry will change that. Anything else (registry down, timeout)
      // is passing: retriable, so the batch is retried instead of the message being dead-lettered.
      const status = (error as { status?: number }).status;
      if (status === 404)
        throw new EventDecodeError(`schema id ${writerId} is unknown to the registry`, { cause: error });
      throw new EventDecodeError(
        `the registry could not be asked for schema id ${writerId}: ${(error as Error).message}`,
        { cause: error, retriable: true },
      );
    }
    const resolver = schema.type.createResolver(writer);
    this.resolvers.set(writerId, resolver);
    return resolver;
  }
}
