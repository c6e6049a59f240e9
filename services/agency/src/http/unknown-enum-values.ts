import type { FieldIssue } from '@passport/errors';
import type { z } from 'zod';

/**
 * Every enum of the contract ends in UNKNOWN so that it can grow: a reader maps a value it does not know
 * to it. A writer must never produce it, and the HTTP API is where our events are written, so a body
 * naming UNKNOWN is refused even though the contract's validators (which also read) accept it.
 */
export const UNKNOWN_ENUM_VALUE = 'UNKNOWN';

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: readonly z.ZodType[];
  entries?: Record<string, string | number>;
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: readonly z.ZodType[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

interface Visit {
  schema: z.ZodType;
  value: unknown;
  path: string;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/**
 * The fields of a body (already valid for `schema`) whose enum value is UNKNOWN, with their paths. The
 * walk follows the schema beside the value with its own stack, so its cost is bounded by the body's
 * size and it never recurses.
 */
export function unknownEnumValues(schema: z.ZodType, body: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pending: Visit[] = [{ schema, value: body, path: '' }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value, path } = visit;
    const def = defOf(visit.schema);
    const next = (child: z.ZodType | undefined, childValue: unknown, childPath = path) => {
      if (child) pending.push({ schema: child, value: childValue, path: childPath });
    };
    if (WRAPPERS.has(def.type)) next(def.innerType, value);
    else if (def.type === 'pipe') next(def.in, value);
    else if (def.type === 'union') def.options?.forEach((option) => next(option, value));
    else if (def.type === 'intersection') [def.left, def.right].forEach((side) => next(side, value));
    else if (def.type === 'enum') {
      if (value === UNKNOWN_ENUM_VALUE && Object.values(def.entries ?? {}).includes(UNKNOWN_ENUM_VALUE))
        issues.push({ path, message: 'UNKNOWN is only for reading newer events; name a known value' });
    } else if (def.type === 'object' && isRecord(value)) {
      for (const [key, child] of Object.entries(def.shape ?? {})) next(child, value[key], join(path, key));
    } else if (def.type === 'record' && isRecord(value)) {
      for (const [key, item] of Object.entries(value)) next(def.valueType, item, join(path, key));
    } else if (def.type === 'array' && Array.isArray(value)) {
      value.forEach((item, index) => next(def.element, item, join(path, index)));
    } else if (def.type === 'tuple' && Array.isArray(value)) {
      def.items?.forEach((item, index) => next(item, value[index], join(path, index)));
    }
  }
  return dedupe(issues);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A union can reach the same field through several options; each field is named once. */
function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((issue) => !seen.has(issue.path) && seen.add(issue.path))
    .sort((a, b) => a.path.localeCompare(b.path));
}
