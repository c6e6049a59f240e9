import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FixtureError } from '@passport/errors';
import {
  eventFromJson,
  eventToJson,
  EVENT_TOPICS,
  validateIncoming,
  type EventTopic,
  type PassportEvent,
} from '@passport/events';

/**
 * One recorded message, one NDJSON line. `topic` is the logical topic (the one the codec knows), so a
 * fixture recorded from a test's private topic replays anywhere. Dates are written with eventToJson.
 */
export interface FixtureRecord {
  topic: EventTopic;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  event: PassportEvent;
}

export function fixturesToNdjson(records: readonly FixtureRecord[]): string {
  return records.map((record) => `${eventToJson(record)}\n`).join('');
}

/** Parses NDJSON fixtures; every event is checked against the contract, as a consumer would. */
export function fixturesFromNdjson(text: string, file = '(fixtures)'): FixtureRecord[] {
  const records: FixtureRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: FixtureRecord;
    try {
      parsed = eventFromJson(line) as FixtureRecord;
    } catch (error) {
      throw new FixtureError(file, index + 1, 'is not JSON', { cause: error });
    }
    if (!EVENT_TOPICS.includes(parsed?.topic))
      throw new FixtureError(file, index + 1, `topic must be one of ${EVENT_TOPICS.join(', ')}`);
    try {
      records.push({ ...parsed, headers: parsed.headers ?? {}, event: validateIncoming(parsed.event) });
    } catch (error) {
      throw new FixtureError(file, index + 1, (error as Error).message, { cause: error });
    }
  });
  return records;
}

export function writeFixtures(file: string, records: readonly FixtureRecord[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, fixturesToNdjson(records));
}

export function readFixtures(file: string): FixtureRecord[] {
  return fixturesFromNdjson(readFileSync(file, 'utf8'), file);
}

/** Fixtures in the order a projection should see them: by time, then as recorded. */
export function inTimeOrder(records: readonly FixtureRecord[]): FixtureRecord[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => Number(a.record.timestamp) - Number(b.record.timestamp) || a.index - b.index)
    .map(({ record }) => record);
}
