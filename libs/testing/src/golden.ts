import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Fields whose values change from run to run: ids, clocks, trace contexts, broker positions. */
export const VOLATILE_FIELDS: readonly string[] = [
  'eventId',
  'causationId',
  'correlationId',
  'requestId',
  'occurredAt',
  'traceparent',
  'ce_id',
  'ce_time',
  'ce_subject',
  'offset',
  'timestamp',
  'partition',
  'key',
  'givenAt',
  'deadline',
  'expectedResponseBy',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Replaces volatile values by placeholders numbered in order of first appearance. The same value gets
 * the same placeholder wherever it appears, so "this causationId is that eventId" is still asserted
 * while the ids themselves may differ between runs.
 */
export function normaliseVolatile(value: unknown, fields: readonly string[] = VOLATILE_FIELDS): unknown {
  const seen = new Map<string, string>();
  const placeholder = (field: string, raw: unknown) => {
    const text = raw instanceof Date ? raw.toISOString() : String(raw);
    // Ids are shared across fields (a causationId is an eventId); small numbers like offsets are not.
    const identity = UUID.test(text) ? text : `${field}=${text}`;
    if (!seen.has(identity)) seen.set(identity, `<${field}#${seen.size + 1}>`);
    return seen.get(identity);
  };
  const walk = (node: unknown, field?: string): unknown => {
    if (field !== undefined && fields.includes(field) && node !== null && node !== undefined)
      return placeholder(field, node);
    if (node instanceof Date) return node.toISOString();
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child, key)]));
    return node;
  };
  return walk(value);
}

/** The first line where two texts differ, for an error message a developer can act on. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const line = want.findIndex((text, index) => text !== got[index]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1}: expected ${JSON.stringify(want[at] ?? '')}, got ${JSON.stringify(got[at] ?? '')}`;
}

/**
 * Compares `value`, volatile fields normalised, with the golden file. A missing file is written (first
 * run); UPDATE_GOLDEN=1 rewrites it after a deliberate change. Otherwise a difference throws.
 */
export function expectToMatchGolden(file: string, value: unknown, fields?: readonly string[]): void {
  const actual = `${JSON.stringify(normaliseVolatile(value, fields), null, 2)}\n`;
  if (!existsSync(file) || process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  // Compared as JSON, not as text: a formatter (prettier) may re-wrap the committed file.
  const expected = `${JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 2)}\n`;
  if (expected !== actual)
    throw new Error(
      `${file} does not match (${firstDifference(expected, actual)}); UPDATE_GOLDEN=1 rewrites it`,
    );
}
