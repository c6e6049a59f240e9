import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  avroType,
  EVENT_DEFINITIONS,
  EVENT_TOPICS,
  eventTypesOf,
  loadNamedSchemas,
  SCHEMAS_DIR,
  topicSchema,
} from '@passport/events';
import { unreleasedChanges } from '@passport/infra/schemas/released';

type Json = Record<string, unknown>;

function walkNamed(schema: unknown, visit: (named: Json) => void): void {
  if (Array.isArray(schema)) return schema.forEach((s) => walkNamed(s, visit));
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Json;
  if (node.type === 'record' || node.type === 'enum') visit(node);
  if (node.type === 'record') (node.fields as Json[]).forEach((field) => walkNamed(field.type, visit));
  if (node.type === 'array') walkNamed(node.items, visit);
}

describe('the Avro contract in schemas/', () => {
  it.each(EVENT_TOPICS)('%s has one self-contained record schema that avsc accepts', (topic) => {
    expect(() => avroType(topicSchema(topic))).not.toThrow();
  });

  it.each(EVENT_TOPICS)('%s carries exactly its event types in the payload union', (topic) => {
    const payload = (topicSchema(topic) as { fields: Json[] }).fields.find((f) => f.name === 'payload') as {
      type: Json[];
    };
    const branches = payload.type.map((branch) => branch.name ?? branch);
    expect(branches.map(String).map((n) => n.split('.').pop())).toEqual(eventTypesOf(topic));
  });

  it('documents every record, field and enum, and gives every enum a default to grow with', () => {
    for (const [name, schema] of loadNamedSchemas()) {
      expect({ name, doc: typeof schema.doc }).toEqual({ name, doc: 'string' });
      if (schema.type === 'record') {
        for (const field of schema.fields as Json[])
          expect({ field: `${name}.${field.name}`, doc: typeof field.doc }).toEqual({
            field: `${name}.${field.name}`,
            doc: 'string',
          });
      }
      if (schema.type === 'enum') {
        expect({ name, default: schema.default }).toEqual({ name, default: 'UNKNOWN' });
        expect((schema.symbols as string[]).at(-1)).toBe('UNKNOWN');
      }
    }
  });

  it('keeps timestamps as timestamp-millis so they decode to Date', () => {
    const timestamps: string[] = [];
    for (const topic of EVENT_TOPICS) {
      walkNamed(topicSchema(topic), (named) => {
        for (const field of (named.fields as Json[] | undefined) ?? []) {
          const types = Array.isArray(field.type) ? field.type : [field.type];
          if (types.some((t) => (t as Json)?.logicalType === 'timestamp-millis'))
            timestamps.push(`${named.name}.${field.name}`);
        }
      });
    }
    expect(timestamps).toEqual(
      expect.arrayContaining([
        'CooperationRequestEvent.occurredAt',
        'NeedsProfile.deadline',
        'Consent.givenAt',
        'RequestAcknowledged.expectedResponseBy',
      ]),
    );
  });

  it('has one schema file per event type, named after it', () => {
    for (const definition of EVENT_DEFINITIONS) {
      expect(definition.schemaFile.endsWith(`/${definition.type}.avsc`)).toBe(true);
      expect(existsSync(join(SCHEMAS_DIR, definition.schemaFile))).toBe(true);
    }
  });

  it('has no unreleased change (run `npm run schemas:release` after editing schemas/)', () => {
    expect(unreleasedChanges()).toEqual([]);
  });
});
