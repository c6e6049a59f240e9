import { EventValidationError } from '@passport/errors';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from './json-depth';

/**
 * Events as JSON text with their Dates intact: a Date is written as `{"$date": "<ISO 8601>"}` and read
 * back as a Date. Used for outbox rows and NDJSON fixtures, where plain JSON would turn Dates into
 * strings that the validators rightly refuse.
 */
export function eventToJson(event: unknown): string {
  return JSON.stringify(event, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
}

/**
 * The reviver walks the parsed value recursively, so the nesting is measured first: a deep text
 * (a hostile fixture line, a corrupted row) is refused with a contract error instead of a stack overflow.
 */
export function eventFromJson(text: string): unknown {
  if (jsonNestingExceeds(text, MAX_JSON_DEPTH))
    throw new EventValidationError('event', [
      { path: '(root)', message: `nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$date') return new Date((value as { $date: string }).$date);
    }
    return value;
  });
}
