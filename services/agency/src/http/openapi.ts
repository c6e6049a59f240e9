import { z } from 'zod';
import { UNKNOWN_ENUM_VALUE } from './unknown-enum-values';

/** JSON Schema of a body for the OpenAPI document; timestamps are ISO 8601 strings on the wire. */
export function jsonSchemaOf(schema: z.ZodType): object {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
      // Bodies refuse UNKNOWN (see unknown-enum-values.ts), so the document does not offer it.
      const values = ctx.jsonSchema.enum;
      if (Array.isArray(values)) ctx.jsonSchema.enum = values.filter((value) => value !== UNKNOWN_ENUM_VALUE);
    },
  });
}
