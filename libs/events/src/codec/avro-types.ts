import * as avro from 'avsc';

/**
 * `timestamp-millis` as a JavaScript Date. Avro stores milliseconds since the epoch in a long; without
 * this, avsc hands out plain numbers and the TS types would lie.
 */
export class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(value: number): Date {
    return new Date(value);
  }

  protected override _toValue(value: unknown): number | undefined {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined;
  }

  protected override _resolve(type: avro.Type): ((value: number) => Date) | undefined {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-millis'))
      return (value: number) => this._fromValue(value);
    return undefined;
  }
}

/** One set of avsc options for every type the codec builds, so writers' and readers' types agree. */
export const AVRO_OPTIONS = Object.freeze({
  logicalTypes: { 'timestamp-millis': TimestampMillisType },
  wrapUnions: 'auto' as const,
});

export function avroType(schema: object | string): avro.Type {
  return avro.Type.forSchema(
    typeof schema === 'string' ? (JSON.parse(schema) as avro.Schema) : (schema as avro.Schema),
    { ...AVRO_OPTIONS },
  );
}
