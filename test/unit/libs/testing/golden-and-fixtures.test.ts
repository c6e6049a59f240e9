import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@passport/config';
import { validateOutgoing } from '@passport/events';
import {
  expectToMatchGolden,
  fixturesFromNdjson,
  fixturesToNdjson,
  normaliseVolatile,
  type FixtureRecord,
} from '@passport/testing';
import { cooperationRequestedSample, requestAcknowledgedSample } from '../../../fixtures/events';

const record = (event: unknown, offset: string): FixtureRecord => ({
  topic: TOPICS.cooperationRequests,
  partition: 0,
  offset,
  timestamp: '1772442000000',
  key: cooperationRequestedSample.requestId,
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  event: validateOutgoing(event),
});

describe('fixtures and golden files', () => {
  const records = [record(cooperationRequestedSample, '0'), record(requestAcknowledgedSample, '1')];
  const dir = mkdtempSync(join(tmpdir(), 'passport-golden-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips NDJSON with Dates intact', () => {
    const back = fixturesFromNdjson(fixturesToNdjson(records));
    expect(back).toEqual(records);
    expect(back[1]?.event.occurredAt).toBeInstanceOf(Date);
  });

  it('names file and line of a fixture that breaks the contract', () => {
    const broken = fixturesToNdjson(records).replace('"source":"accio"', '"source":"nowhere"');
    expect(() => fixturesFromNdjson(broken, 'story.ndjson')).toThrow(/^story\.ndjson:2: /);
  });

  it('replaces volatile values by placeholders that keep links between fields', () => {
    const [first, second] = normaliseVolatile(records) as Array<{ event: Record<string, unknown> }>;
    expect(second?.event.causationId).toBe(first?.event.eventId);
    expect(first?.event.eventId).toMatch(/^<eventId#\d+>$/);
    expect(first?.event.source).toBe('bwi');
  });

  it('passes on the same story with other ids, fails on a changed field', () => {
    const file = join(dir, 'story.json');
    expectToMatchGolden(file, records);
    const renamed = records.map((r) => ({
      ...r,
      event: { ...r.event, eventId: `${r.event.eventId.slice(0, -1)}f` },
    }));
    expect(() => expectToMatchGolden(file, [renamed[0], records[1]])).toThrow(/does not match/);
    const otherIds = normaliseVolatile(records);
    expect(() => expectToMatchGolden(file, records)).not.toThrow();
    writeFileSync(file, JSON.stringify(otherIds)); // re-wrapped (as a formatter would) but equal
    expect(() => expectToMatchGolden(file, records)).not.toThrow();
    const changed = [{ ...records[0], event: { ...records[0]?.event, source: 'aura' } }, records[1]];
    expect(() => expectToMatchGolden(file, changed)).toThrow(/line \d+: expected/);
  });
});
