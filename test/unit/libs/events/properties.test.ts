import { EventValidationError } from '@passport/errors';
import {
  avroType,
  definitionOf,
  topicSchema,
  validateIncoming,
  validateOutgoing,
  type EventTopic,
} from '@passport/events';
import fc from 'fast-check';
import { fromAvroRecord, toAvroRecord, unionShapeOf } from '@passport/events/codec/avro-mapping';
import { validEvent } from '../../../fixtures/arbitraries';

const avroByTopic = new Map<string, ReturnType<typeof avroType>>();
function avroOf(type: string) {
  const topic = definitionOf(type)?.topic as EventTopic;
  if (!avroByTopic.has(topic)) avroByTopic.set(topic, avroType(topicSchema(topic)));
  return avroByTopic.get(topic) as ReturnType<typeof avroType>;
}

function refusedPaths(event: unknown): string[] {
  try {
    validateOutgoing(event);
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
}

/** Ways to break a valid event, each with the path zod must name. */
const BREAKAGES: Array<{
  name: string;
  path: string;
  apply: (event: Record<string, unknown>) => Record<string, unknown>;
}> = [
  { name: 'eventId removed', path: 'eventId', apply: ({ eventId: _e, ...rest }) => rest },
  { name: 'unknown source agency', path: 'source', apply: (e) => ({ ...e, source: 'atlantis' }) },
  { name: 'requestId not a UUID', path: 'requestId', apply: (e) => ({ ...e, requestId: 'REQ-1' }) },
  { name: 'occurredAt as a string', path: 'occurredAt', apply: (e) => ({ ...e, occurredAt: '2026-01-01' }) },
  { name: 'an event causing itself', path: 'causationId', apply: (e) => ({ ...e, causationId: e.eventId }) },
  { name: 'payload missing', path: 'payload', apply: ({ payload: _p, ...rest }) => rest },
];

describe('properties of the contract', () => {
  it('every valid event passes zod, encodes with Avro and decodes back equal', () => {
    fc.assert(
      fc.property(validEvent, (input) => {
        const event = validateOutgoing(input);
        const avro = avroOf(event.type);
        const shape = unionShapeOf(avro);
        const bytes = avro.toBuffer(toAvroRecord(event as never, shape));
        const decoded = validateIncoming(
          fromAvroRecord(avro.fromBuffer(bytes) as Record<string, unknown>, shape),
        );
        expect(decoded).toEqual(event);
      }),
      { numRuns: 300 },
    );
  });

  it('every broken event is refused by zod with the path of what was broken', () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...BREAKAGES), (input, breakage) => {
        expect(refusedPaths(breakage.apply(input))).toContain(breakage.path);
      }),
      { numRuns: 300 },
    );
  });

  it('an e-mail address slipped into any free text of a request is refused at that text', () => {
    const requests = validEvent.filter((e) => e.type === 'CooperationRequested');
    fc.assert(
      fc.property(requests, fc.constantFrom('title', 'summary', 'description'), (input, field) => {
        const payload = input.payload as { profile: Record<string, unknown> };
        const leaked = {
          ...input,
          payload: { profile: { ...payload.profile, [field]: `Contact jane.doe@example.org now` } },
        };
        expect(refusedPaths(leaked)).toContain(`payload.profile.${field}`);
      }),
      { numRuns: 50 },
    );
  });
});
