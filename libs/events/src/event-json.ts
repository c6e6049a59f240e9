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

export function eventFromJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$date') return new Date((value as { $date: string }).$date);
    }
    return value;
  });
}
