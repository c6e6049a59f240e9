import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { loadAgencies, TOPICS } from '@passport/config';
import { logLevel, Partitioners } from 'kafkajs';
import type { RunningCluster } from '@passport/infra/sources/running-cluster';
import { spawnAgency, waitUntilReady } from '@passport/infra/system/agency-process';
import { sha256Hex } from '@passport/infra/system/api-keys';
import { prepareLocalTrust } from '@passport/infra/system/trust-list-file';
import { agencyOn, waitUntilCaughtUp } from './cluster';
import { emptyServerCeiling } from './http-ceiling';
import { BenchClient, inFlight } from './http-client';
import { gearMakerRequestBody } from './request-body';
import { log, type BenchResult } from './stats';

const REQUESTS = 2_000;
const CONCURRENCY = 32;
const TARGET_RATIO = 10;
const WARM_UP = 500;

/** Sent to all three partners, so the service publishes what a real request would. */
const body = () => gearMakerRequestBody({ targetAgencies: ['aura', 'accio', 'promos'] });

/**
 * Requests accepted per second by the API (validated, stored with their outbox row, answered) with 32
 * back-office calls in flight, against the naive design it replaces: one awaited Kafka send per request.
 */
export async function acceptBench(cluster: RunningCluster): Promise<BenchResult> {
  // The baseline writes to a topic of its own, shaped like the request topic: writing raw bodies onto
  // the real one would leave messages the service under test then has to dead-letter.
  const kafka = createKafka(cluster.connection, { clientId: 'bench-accept', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const baselineTopic = `bench.accept-${randomUUID().slice(0, 8)}`;
  const [requestTopic] = (await admin.fetchTopicMetadata({ topics: [TOPICS.cooperationRequests] })).topics;
  await createTopicsWhenReadable(admin, [
    { topic: baselineTopic, numPartitions: requestTopic?.partitions.length ?? 6 },
  ]);
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const payload = Buffer.from(body());
  const sendOne = () =>
    producer.send({ topic: baselineTopic, acks: -1, messages: [{ key: randomUUID(), value: payload }] });
  // Warmed like the service is before its run: a freshly started broker answers its first produce
  // requests several times slower, which would flatter the ratio.
  for (let i = 0; i < WARM_UP; i += 1) await sendOne();
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i += 1) await sendOne();
  const baseline = REQUESTS / ((performance.now() - start) / 1000);
  await producer.disconnect();
  await admin.deleteTopics({ topics: [baselineTopic] }).catch(() => undefined);
  await admin.disconnect();
  log(`awaited single sends: ${baseline.toFixed(0)}/s`);
  const ceiling = await emptyServerCeiling(body(), REQUESTS * 5, CONCURRENCY);
  log(`an HTTP server doing nothing, same client: ${ceiling.toFixed(0)}/s`);

  const dir = mkdtempSync(join(tmpdir(), 'passport-bench-'));
  const trust = await prepareLocalTrust(
    dir,
    loadAgencies().map((a) => a.id),
  );
  const key = randomUUID();
  const purpose = `bench-${randomUUID().slice(0, 6)}`;
  const service = spawnAgency({
    agencyId: 'bwi',
    connection: agencyOn(cluster, 'bwi'),
    port: 28_191,
    apiKeyHash: sha256Hex(key),
    candidateRefSecret: `${randomUUID()}${randomUUID()}`,
    logFile: join(dir, 'bwi.log'),
    keysDir: trust.keysDirOf('bwi'),
    trustListFile: trust.trustListFile,
    sqliteFile: join(dir, 'bwi.db'),
    extraEnv: { LOG_LEVEL: 'warn', CONSUMER_GROUP_PURPOSE: purpose },
  });
  try {
    await waitUntilReady(service);
    // Measured once the service's new consumer group has read the topics' history, not while it does.
    await waitUntilCaughtUp(cluster, [`bwi.${purpose}`], [service.url], 180_000);
    const text = body();
    const client = new BenchClient(service.url, {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
    });
    const post = () => client.post('/requests', text);
    for (let i = 0; i < WARM_UP; i += 1) await post();
    let failed = 0;
    const accepted = await inFlight(REQUESTS, CONCURRENCY, async () => {
      if ((await post()).status !== 201) failed += 1;
    });
    client.close();
    log(`accepted through the outbox: ${accepted.toFixed(0)}/s (${failed} failed)`);
    const ratio = accepted / baseline;
    // As time per request: at 10× the service's one thread may spend at most this on each (HTTP, checks,
    // storage and the relay's publishing included), whatever the load generator costs.
    const budgetMicros = 1e6 / (TARGET_RATIO * baseline);
    log(
      `per request: the target leaves ${budgetMicros.toFixed(0)} µs; ` +
        `the service accepts one every ${(1e6 / accepted).toFixed(0)} µs with ${CONCURRENCY} in flight`,
    );
    return {
      name: 'accept path: HTTP-accepted requests/s vs awaited single sends',
      figure: ratio,
      unit: '× baseline',
      target: '≥ 10×',
      met: ratio >= TARGET_RATIO && failed === 0,
      details: {
        accepted_per_s: Math.round(accepted),
        awaited_sends_per_s: Math.round(baseline),
        empty_server_per_s: Math.round(ceiling),
        target_leaves_us_per_request: Math.round(budgetMicros),
        concurrency: CONCURRENCY,
        requests: REQUESTS,
        failed,
      },
    };
  } finally {
    await service.stop();
  }
}
