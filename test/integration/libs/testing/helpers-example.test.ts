/**
 * How to use @passport/testing — a worked example, one step per helper:
 *
 *  1. recordTopic        read a range of a topic (here: all of it) and write NDJSON fixtures;
 *  2. expectToMatchGolden compare what was recorded with a golden file, volatile ids and times replaced
 *                         by placeholders (set UPDATE_GOLDEN=1 to rewrite it after a deliberate change);
 *  3. replayInProcess    feed fixtures to a plain handler, no broker involved;
 *  4. replayToBroker     publish fixtures to (other) real topics, re-encoded through the registry;
 *  5. waitForGroupCaughtUp wait until a consumer group has committed up to the high watermark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@passport/config';
import type { PassportEvent } from '@passport/events';
import {
  expectToMatchGolden,
  readFixtures,
  recordTopic,
  replayInProcess,
  replayToBroker,
  waitForGroupCaughtUp,
  type FixtureRecord,
} from '@passport/testing';
import { Partitioners } from 'kafkajs';
import { verifyRecord, type AgencyKeys } from '@passport/trust';
import { uniqueName } from '../../../support/cluster';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';
import { testTrust } from '../../../support/test-trust';

jest.setTimeout(60_000);

const GOLDEN = join(__dirname, '../../../fixtures/golden/testing/seed-story-requests.json');

describe('@passport/testing, the documented example', () => {
  let source: PrivateExchange;
  let target: PrivateExchange;
  const dir = mkdtempSync(join(tmpdir(), 'passport-fixtures-'));

  beforeAll(async () => {
    source = await privateExchange();
    target = await privateExchange();
    await source.publish(freshStory());
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records, compares with a golden file, replays in-process and into the broker, and waits for a group', async () => {
    // 1. Record the private cooperation-requests topic to a fixture file.
    const file = join(dir, 'requests.ndjson');
    const recording = await recordTopic({
      kafka: source.kafka,
      codec: source.codec,
      topic: source.topics.actual(TOPICS.cooperationRequests),
      logical: TOPICS.cooperationRequests,
      file,
    });
    const fixtures = readFixtures(file);
    expect(recording.skipped).toBe(0);
    expect(fixtures.map((f) => f.event.type)).toEqual([
      'CooperationRequested',
      'RequestAcknowledged',
      'CooperationRequestClosed',
    ]);
    expect(fixtures[0]?.event.occurredAt).toBeInstanceOf(Date);

    // 2. The golden file holds the story with ids, times and trace contexts as placeholders.
    expectToMatchGolden(GOLDEN, fixtures);

    // 3. In-process replay into a handler: a plain function, as handlers are in this code base.
    const describeEvent = (event: PassportEvent) => `${event.source}: ${event.type}`;
    expect(await replayInProcess(fixtures, describeEvent)).toEqual([
      'bwi: CooperationRequested',
      'accio: RequestAcknowledged',
      'bwi: CooperationRequestClosed',
    ]);

    // 4 and 5. Replay into other topics, let a consumer group read them, wait for it without sleeping.
    const producer = target.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const groupId = uniqueName('test.testing');
    const consumer = target.kafka.consumer({ groupId });
    const seen: FixtureRecord['key'][] = [];
    const admin = target.kafka.admin();
    await Promise.all([consumer.connect(), admin.connect()]);
    try {
      const trust = await testTrust();
      const signers = trust.keys as Record<string, AgencyKeys>;
      expect(await replayToBroker(producer, target.codec, fixtures, target.topics, signers)).toBe(3);
      await consumer.subscribe({
        topic: target.topics.actual(TOPICS.cooperationRequests),
        fromBeginning: true,
      });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          // Signed by each event's source for the topic it was written to, as a service verifies it.
          const { key, value, headers } = message;
          verifyRecord({ topic, key, value, headers }, trust.trustList, new Date());
          seen.push(message.key?.toString() ?? null);
        },
      });
      await waitForGroupCaughtUp(admin, groupId, [target.topics.actual(TOPICS.cooperationRequests)]);
      expect(seen).toEqual(fixtures.map((f) => f.key));
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
