import { readFileSync } from 'node:fs';
import { isPassportError } from '@passport/errors';
import { eventToJson, fromKafkaMessage, type EventCodec, type PassportEvent } from '@passport/events';
import type { TopicNames } from '@passport/streams';
import { fixturesFromNdjson, type FixtureRecord } from '@passport/testing';
import { verifyRecord, type TrustList } from '@passport/trust';
import { parseOriginal, type OriginalBytes } from './original-record';

/** One line of an export file: the record as fixture, and its original bytes when the export kept them. */
export interface ImportLine {
  line: number;
  record: FixtureRecord;
  original: unknown;
}

/** What will be published for one line: its original bytes, or (refused) why they cannot be. */
export type PlannedLine = ImportLine & { topic: string } & (
    { bytes: OriginalBytes; refusal?: undefined } | { bytes?: undefined; refusal: string }
  );

/** Every line validated as a fixture (errors name the line), kept with its line number and original. */
export function readImportFile(file: string): ImportLine[] {
  const text = readFileSync(file, 'utf8');
  const records = fixturesFromNdjson(text, file);
  const lines = text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [index + 1]));
  return records.map((record, index) => {
    const { original, ...fixture } = record as FixtureRecord & { original?: unknown };
    return { line: lines[index] ?? 0, record: fixture, original };
  });
}

/**
 * Checks a line's original bytes as the agency services will: the signature must verify against the
 * trust list now, for the topic the record is written to (a signature binds the topic, so a copy onto
 * another topic cannot keep it), and the bytes must decode to the event the line shows, so an edited
 * line is refused instead of being silently replaced by its original.
 */
export async function planLine(
  item: ImportLine,
  deps: { codec: EventCodec; topics: TopicNames; trustList: TrustList; now: Date },
): Promise<PlannedLine> {
  const topic = deps.topics.actual(item.record.topic);
  const parsed = parseOriginal(item.original);
  if ('reason' in parsed) return { ...item, topic, refusal: parsed.reason };
  const { bytes } = parsed;
  try {
    verifyRecord({ topic, ...bytes }, deps.trustList, deps.now);
    const { event } = await fromKafkaMessage(deps.codec, item.record.topic, bytes);
    if (canonical(event) !== canonical(item.record.event))
      return { ...item, topic, refusal: 'the event differs from its original bytes (was the line edited?)' };
  } catch (error) {
    if (!isPassportError(error) || error.retriable) throw error;
    return { ...item, topic, refusal: `${error.code}: ${error.message}` };
  }
  return { ...item, topic, bytes };
}

/** The event as JSON with every object's members sorted, so member order cannot make two events differ. */
function canonical(event: PassportEvent): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object' && !(value instanceof Date))
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, child]) => child !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([key, child]) => [key, sorted(child)]),
      );
    return value;
  };
  return eventToJson(sorted(event));
}
