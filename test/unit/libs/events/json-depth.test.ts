import { EventValidationError } from '@passport/errors';
import { eventFromJson, eventToJson, jsonNestingExceeds, MAX_JSON_DEPTH } from '@passport/events';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('jsonNestingExceeds', () => {
  it('measures arrays and objects, up to and past the limit', () => {
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestingExceeds('{"a":{"b":{"c":1}}}', 2)).toBe(true);
    expect(jsonNestingExceeds('{"a":{"b":1},"c":{"d":2}}', 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingExceeds(`{"text":"${'[{'.repeat(100)}\\"]]"}`, 2)).toBe(false);
  });

  it('scans a 100,000-deep text without recursion', () => {
    expect(jsonNestingExceeds(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('eventFromJson', () => {
  it('still revives dates', () => {
    const when = new Date('2026-03-02T09:00:00.000Z');
    expect(eventFromJson(eventToJson({ at: when }))).toEqual({ at: when });
  });

  it('refuses a 100,000-deep text with a contract error instead of overflowing the stack', () => {
    expect(() => eventFromJson(nested(100_000))).toThrow(EventValidationError);
  });
});
