import { anonymousText, contactPerson, definitionOf, personalDataIn, text } from '@passport/events';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { SAMPLE_EVENTS } from '../../../../fixtures/events';

/**
 * Issue 13: one description shaped like `Ref 01 111…1.` froze every agency's consumer, because a
 * phone pattern backtracked polynomially. Every rule that reads text from another agency must now run
 * in linear time, with the length limit checked first. These tests feed adversarial shapes at every
 * text limit of the contract (and far beyond) to every text field of every event type.
 */

/** The contract's text limits, plus one far over the longest, which must be refused without a scan. */
const LENGTHS = [60, 100, 200, 254, 500, 1000, 2000, 4000, 40_000];

/** Shapes that made backtracking patterns slow, or could make a scanner rescan: prefix, unit, suffix. */
const SHAPES: ReadonlyArray<readonly [string, string, string]> = [
  ['Ref 01 ', '1', '.'],
  ['', ' 01', '.'],
  ['0711 ', '12 ', '.'],
  ['(0)7 ', '1-', '.'],
  ['x ', '0 ', '.'],
  ['', '01-', '.'],
  ['', '.0', ''],
  ['x', '\u00a0', '0'],
  ['', 'a', ''],
  ['', 'a@', ''],
  ['a@', 'a-', ''],
  ['a@a', '.a', '.'],
  ['', '@a.', ''],
  ['+1', ' 1', 'x'],
  ['', '+1 ', ''],
  ['', '001 ', ''],
  ['', ' ', ''],
];

function shaped([prefix, unit, suffix]: readonly [string, string, string], length: number): string {
  const body = unit.repeat(Math.ceil(Math.max(0, length - prefix.length - suffix.length) / unit.length));
  return (prefix + body).slice(0, Math.max(0, length - suffix.length)) + suffix;
}

/**
 * Best of up to seven runs, so a garbage collection or a time slice lost to a busy machine does not
 * count as slowness (three were not enough beside a three-node fault drill: 10.9 ms once); a
 * super-linear rule is slow on every run.
 */
function millisecondsOf(work: () => unknown): number {
  let best = Infinity;
  for (let run = 0; run < 7 && best >= 2; run += 1) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Every string or null leaf of a sample event, as a path to put adversarial text at. */
function textLeaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string' || value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => textLeaves(item, [...path, index]));
  if (value instanceof Date || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => textLeaves(item, [...path, key]));
}

function withTextAt(event: unknown, path: Array<string | number>, replacement: string): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
  return copy;
}

/** The slowest case, for the log: the figure the issue asks to see. */
let slowest = { ms: 0, what: '' };
afterAll(() => console.log(`slowest text rule: ${slowest.ms.toFixed(3)} ms (${slowest.what})`));

function expectFast(what: string, work: () => unknown) {
  const ms = millisecondsOf(work);
  if (ms > slowest.ms) slowest = { ms, what };
  expect({ what, fast: ms < 10 }).toEqual({ what, fast: true });
}

describe('text rules run in linear time on adversarial text', () => {
  it.each(SHAPES.map((shape) => [shape.join('…'), shape] as const))(
    'personalDataIn and the text schemas at every limit: %s',
    (_name, shape) => {
      for (const length of LENGTHS) {
        const input = shaped(shape, length);
        const overLimit = shaped(shape, length * 10);
        expectFast(`personalDataIn ${length}`, () => personalDataIn(input));
        expectFast(`anonymousText(${length}) at ${length}`, () => anonymousText(length).safeParse(input));
        expectFast(`anonymousText(${length}) at ${length * 10}`, () =>
          anonymousText(length).safeParse(overLimit),
        );
        expectFast(`text(${length})`, () => text(length).safeParse(input));
        expectFast(`contact email ${length}`, () =>
          contactPerson.shape.email.safeParse(input.replace(/ /g, 'x')),
        );
      }
    },
  );

  it.each(SAMPLE_EVENTS.map((sample) => [sample.type, sample] as const))(
    'every text field of %s',
    (type, sample) => {
      const schema = definitionOf(type)?.schema;
      if (!schema) throw new Error(`no definition for ${type}`);
      const leaves = textLeaves(sample);
      expect(leaves.length).toBeGreaterThan(3);
      for (const path of leaves)
        for (const shape of SHAPES)
          for (const length of [500, 4000, 40_000]) {
            const event = withTextAt(sample, path, shaped(shape, length));
            expectFast(`${type}.${path.join('.')} ${shape.join('…')} ${length}`, () =>
              schema.safeParse(event),
            );
          }
    },
  );
});

// The patterns the scanners replaced, kept as the reference they must agree with on short text (where
// their backtracking costs nothing). They exist only here.
const OLD_EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/i; // eslint-disable-line regexp/no-super-linear-move
const OLD_INTERNATIONAL = /(?:\+|\b00)\d{1,3}[\s./()-]*\d(?:[\s./()-]*\d){5,}/;
// eslint-disable-next-line regexp/no-super-linear-backtracking
const OLD_NATIONAL = /(?:^|[^\d.])\(?0\)?\d{1,4}[\s/-]+\d{2,}(?:[\s-]?\d{2,}){1,3}(?![\d.])/;

function referenceFinding(text: string) {
  if (OLD_EMAIL.test(text)) return 'an e-mail address';
  if (OLD_INTERNATIONAL.test(text) || OLD_NATIONAL.test(text)) return 'a phone number';
  return undefined;
}

describe('the linear scanners find what the old patterns found', () => {
  const alphabet = fc.constantFrom(...'0012 3-./()@a.bZ+_\u00a0\t'.split(''));
  it('agrees with the reference on short texts of digits, separators and address characters', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 28 }), (chars) => {
        const sample = chars.join('');
        expect(personalDataIn(sample)).toBe(referenceFinding(sample));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    'call 0711 123456 today',
    'tél. 06-12 34 56 78',
    '(0)711/12345 67',
    'write to anna.rossi@impresa.example.it',
    'x@y.co',
    'Ref 01 1111.',
    'NACE 28.41, HS 848340, ISO 9001:2015',
  ])('agrees on %j', (sample) => {
    expect(personalDataIn(sample)).toBe(referenceFinding(sample));
  });
});
