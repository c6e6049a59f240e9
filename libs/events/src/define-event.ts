import type { TopicName } from '@passport/config';
import { z } from 'zod';
import { agencyId } from './common/agencies';
import { timestamp, uuid } from './common/primitives';

/** Fields every event carries beside its payload; the envelope records in schemas/ hold the same. */
export const eventMetadata = z.object({
  eventId: uuid,
  occurredAt: timestamp,
  source: agencyId,
  requestId: uuid,
  causationId: uuid.nullable().default(null),
  correlationId: uuid,
});

type Metadata = z.infer<typeof eventMetadata>;

export interface EventDefinition<Type extends string = string, Payload extends z.ZodType = z.ZodType> {
  /** The Avro record name of the payload, also the CloudEvents type suffix. */
  readonly type: Type;
  readonly topic: TopicName;
  /** Path of the payload's .avsc file under schemas/. */
  readonly schemaFile: string;
  /** Validator of a whole event of this type: metadata, `type`, payload, and the semantic rules. */
  readonly schema: z.ZodType<Metadata & { type: Type; payload: z.output<Payload> }, unknown>;
}

type Rules<Type extends string, Payload extends z.ZodType> = (
  event: Metadata & { type: Type; payload: z.output<Payload> },
  ctx: z.RefinementCtx,
) => void;

/**
 * One event type of the contract: its topic, its schema file and its zod rules side by side. The
 * rules say what Avro cannot: cross-field relations, known agency ids, text limits, no personal data.
 */
export function defineEvent<Type extends string, Payload extends z.ZodType>(definition: {
  type: Type;
  topic: TopicName;
  schemaFile: string;
  payload: Payload;
  rules?: Rules<Type, Payload>;
}): EventDefinition<Type, Payload> {
  const schema = eventMetadata
    .extend({ type: z.literal(definition.type), payload: definition.payload })
    .superRefine((event, ctx) => {
      const typed = event as Metadata & { type: Type; payload: z.output<Payload> };
      if (typed.causationId !== null && typed.causationId === typed.eventId) {
        ctx.addIssue({ code: 'custom', path: ['causationId'], message: 'an event cannot cause itself' });
      }
      definition.rules?.(typed, ctx);
    });
  return Object.freeze({
    type: definition.type,
    topic: definition.topic,
    schemaFile: definition.schemaFile,
    schema: schema as unknown as EventDefinition<Type, Payload>['schema'],
  });
}

/** The TypeScript type of an event, from its definition. */
export type EventOf<Definition> =
  Definition extends EventDefinition<string, z.ZodType> ? z.output<Definition['schema']> : never;

/** What a producer hands in: defaults (nulls, empty lists) may be left out. */
export type EventInput<Definition> =
  Definition extends EventDefinition<infer Type, infer Payload>
    ? z.input<typeof eventMetadata> & { type: Type; payload: z.input<Payload> }
    : never;
