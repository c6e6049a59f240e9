import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { loadAgencies, TOPICS } from '@passport/config';
import { EventCodec } from '@passport/events';
import type { Producer } from 'kafkajs';
import pino from 'pino';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { emit, handlerDeps } from '@passport/agency-service/handlers/deps';
import { OutboxRelay } from '@passport/agency-service/kafka/outbox-relay';
import { createMetrics } from '@passport/agency-service/metrics';
import { unpublished } from '@passport/agency-service/store/outbox';
import type { AgencyKeys } from '@passport/trust';
import { testTrust } from '../../../../support/test-trust';

const registryStub = { getRegistryIdBySchema: async () => 11 } as unknown as SchemaRegistry;
const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];

/** A producer whose sends wait until the test lets them finish, to nudge the relay mid-round. */
function slowProducer() {
  const sent: string[][] = [];
  const releases: Array<() => void> = [];
  const producer = {
    sendBatch: async ({ topicMessages }: { topicMessages: Array<{ messages: Array<{ key: string }> }> }) => {
      await new Promise<void>((release) => releases.push(release));
      sent.push(topicMessages.flatMap((t) => t.messages.map((m) => m.key)));
      return [];
    },
  } as unknown as Producer;
  return { producer, sent, pending: () => releases.length, releaseNext: () => releases.shift()?.() };
}

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('OutboxRelay', () => {
  it('publishes a row committed during a round right after it, not one poll later', async () => {
    const db = openSqlite(':memory:');
    await migrate(db);
    const codec = await EventCodec.create(registryStub, [TOPICS.cooperationRequests]);
    const { producer, sent, pending, releaseNext } = slowProducer();
    const relay = new OutboxRelay({
      db,
      producer,
      codec,
      signer: (await testTrust()).keys.bwi as AgencyKeys,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics('bwi'),
      pollMs: 60_000, // a poll would come far too late for this test: only a nudge can explain a send
      confirmTimeoutMs: 30_000,
    });
    const queue = (requestId: string) =>
      db.transaction((tx) =>
        emit(handlerDeps(tx, bwi), requestId, {
          type: 'CooperationRequestClosed',
          payload: { reason: 'WITHDRAWN', note: null },
        }),
      );
    await queue('00000000-0000-4000-8000-000000000001');
    relay.start();
    await until(() => pending() === 1, 'the first round to be sending');
    // While the first round is still sending, a second row commits and the service nudges.
    await queue('00000000-0000-4000-8000-000000000002');
    relay.nudge();
    releaseNext();
    await until(() => sent.length === 1, 'the first send');
    await until(() => pending() === 1, 'the second round to be sending');
    releaseNext();
    await until(() => sent.length === 2, 'the second row, published without waiting for a poll');
    expect(sent).toEqual([
      ['00000000-0000-4000-8000-000000000001'],
      ['00000000-0000-4000-8000-000000000002'],
    ]);
    expect(await unpublished(db, 10)).toEqual([]);
    const stopping = relay.stop();
    releaseNext();
    await stopping;
    await db.close();
  });
});
