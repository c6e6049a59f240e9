import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import {
  EventCodec,
  fromKafkaMessage,
  REGISTRY_AVRO_OPTIONS,
  toKafkaMessage,
  validateOutgoing,
  type NeedsProfile,
} from '@passport/events';
import { logLevel, Partitioners, type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import type { RunningCluster } from '../infra/src/sources/running-cluster';
import type { Database } from '../services/agency/src/db/database';
import { migrate } from '../services/agency/src/db/migrations';
import { openSqlite } from '../services/agency/src/db/sqlite';
import { handlerDeps } from '../services/agency/src/handlers/deps';
import { applyEvent, concernsUs } from '../services/agency/src/handlers/reactions/apply-event';
import { insertOwnRequest } from '../services/agency/src/store/own-requests';
import { claimEvent } from '../services/agency/src/store/processed-events';
import { cooperationRequestedSample } from '../test/fixtures/events';
import { log, type BenchResult } from './stats';

const EVENTS = 100_000;
const REQUESTS = 100;

async function consumeAll(
  kafka: Kafka,
  topic: string,
  handle: (payload: EachBatchPayload) => Promise<number>,
): Promise<number> {
  const consumer: Consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxBytes: 10_485_760 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const start = performance.now();
  await new Promise<void>((resolvePromise) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => {
        seen += await handle(payload);
        if (seen >= EVENTS) resolvePromise();
      },
    });
  });
  const seconds = (performance.now() - start) / 1000;
  await consumer.disconnect();
  return seconds;
}

/**
 * Throughput of the service's consuming path — decode through the registry, validate, apply to SQLite
 * with the dedupe record — as a fraction of bare kafkajs eachBatch consumption of the same topic.
 */
export async function pipelineBench(cluster: RunningCluster): Promise<BenchResult> {
  const kafka = createKafka(cluster.connection, { clientId: 'bench-pipeline', logLevel: logLevel.NOTHING });
  const codec = await EventCodec.create(createSchemaRegistry(cluster.connection, REGISTRY_AVRO_OPTIONS));
  const topic = `bench.pipeline-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const requestIds = Array.from({ length: REQUESTS }, () => randomUUID());
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  log(`producing ${EVENTS} outcome events…`);
  for (let batch = 0; batch < EVENTS / 1000; batch += 1) {
    const messages = Array.from({ length: 1000 }, (_, i) => {
      const requestId = requestIds[(batch * 1000 + i) % REQUESTS] as string;
      return toKafkaMessage(codec, {
        eventId: randomUUID(),
        occurredAt: new Date(),
        source: 'aura',
        requestId,
        correlationId: requestId,
        type: 'OutcomeReported',
        payload: { outcome: 'MEETING_HELD' },
      }).message;
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();

  const raw = await consumeAll(kafka, topic, async ({ batch }) => batch.messages.length);
  log(`bare eachBatch: ${(EVENTS / raw).toFixed(0)} events/s`);

  const db: Database = openSqlite(':memory:');
  await migrate(db);
  const bwi = loadAgencies().find((a) => a.id === 'bwi') as Agency;
  const profile = (validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } })
    .payload.profile;
  const firm = {
    name: 'Bench GmbH',
    contact: { fullName: 'B', role: null, email: 'b@bench.example', phone: null, preferredLanguage: 'de' },
  };
  for (const id of requestIds)
    await db.transaction((tx) => insertOwnRequest(tx, id, firm, profile, Date.now()));
  let applied = 0;
  const full = await consumeAll(kafka, topic, async ({ batch, heartbeat }) => {
    for (const message of batch.messages) {
      const { event } = await fromKafkaMessage(codec, TOPICS.outcomes, {
        value: message.value,
        headers: message.headers as never,
      });
      await db.transaction(async (tx) => {
        const deps = handlerDeps(tx, bwi);
        if (!(await concernsUs(event, deps))) return;
        if (
          !(await claimEvent(tx, {
            eventId: event.eventId,
            eventType: event.type,
            topic,
            partition: batch.partition,
            offset: message.offset,
          }))
        )
          return;
        await applyEvent(event, deps);
        applied += 1;
      });
    }
    await heartbeat();
    return batch.messages.length;
  });
  log(`decode + validate + apply: ${(EVENTS / full).toFixed(0)} events/s (${applied} applied)`);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await db.close();
  const ratio = raw / full;
  return {
    name: 'pipeline: consume → decode → validate → apply vs bare eachBatch (100k events)',
    figure: ratio,
    unit: '× baseline',
    target: '≥ 0.7',
    met: ratio >= 0.7 && applied === EVENTS,
    details: {
      pipeline_per_s: Math.round(EVENTS / full),
      bare_per_s: Math.round(EVENTS / raw),
      events: EVENTS,
      applied,
    },
  };
}
