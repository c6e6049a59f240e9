import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { loadAgencies, TOPICS } from '@passport/config';
import { EventCodec } from '@passport/events';
import type { Producer } from 'kafkajs';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { emit, handlerDeps } from '@passport/agency-service/handlers/deps';
import { OutboxRelay, type RelayDeps } from '@passport/agency-service/kafka/outbox-relay';
import { createMetrics } from '@passport/agency-service/metrics';
import type { AgencyKeys } from '@passport/trust';
import { testTrust } from './test-trust';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];

/**
 * Queues one small valid event of BW_i's (a closure of `requestId`) in the outbox, as a command would;
 * returns its outbox row id and event id.
 */
export async function queueClosure(
  db: Database,
  requestId: string,
  reason: 'WITHDRAWN' | 'FULFILLED' = 'WITHDRAWN',
): Promise<{ id: number; eventId: string }> {
  const event = await db.transaction((tx) =>
    emit(handlerDeps(tx, bwi), requestId, {
      type: 'CooperationRequestClosed',
      payload: { reason, note: null },
    }),
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM outbox WHERE event_id = ?', [event.eventId]);
  return { id: Number(row?.id), eventId: event.eventId };
}

/** The value of an unlabelled metric (besides the agency label) as Prometheus would scrape it. */
export async function metricValue(metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> {
  const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(' ').pop());
}

const registryStub = { getRegistryIdBySchema: async () => 11 } as unknown as SchemaRegistry;

/**
 * BW_i's relay over a new in-memory database, publishing through `producer` (a fake) with silent logs;
 * it polls only when a test calls publishOnce. `options` override the relay's settings.
 */
export async function relayOnNewDatabase(producer: Producer, options: Partial<RelayDeps> = {}) {
  const db = openSqlite(':memory:');
  await migrate(db);
  const codec = await EventCodec.create(registryStub, [TOPICS.cooperationRequests]);
  const metrics = createMetrics('bwi');
  const relay = new OutboxRelay({
    db,
    producer,
    codec,
    signer: (await testTrust()).keys.bwi as AgencyKeys,
    logger: pino({ level: 'silent' }),
    metrics,
    pollMs: 60_000,
    confirmTimeoutMs: 30_000,
    ...options,
  });
  return { db, relay, metrics };
}
