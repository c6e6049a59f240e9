import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import { logLevel, type Consumer } from 'kafkajs';
import type { RunningCluster } from '../infra/src/sources/running-cluster';
import { spawnAgency, waitUntilReady, type AgencyProcess } from '../infra/src/system/agency-process';
import { sha256Hex } from '../infra/src/system/api-keys';
import { generateDemoDirectory } from '../infra/src/system/demo-directory';
import { agencyOn, waitUntilCaughtUp } from './cluster';
import { BenchClient, inFlight } from './http-client';
import { gearMakerRequestBody } from './request-body';
import { log, percentile, type BenchResult } from './stats';
import { prepareLocalTrust } from '../infra/src/system/trust-list-file';

/** At least 1,000 for the published figure; fewer (BENCH_E2E_REQUESTS) for a quick look. */
const REQUESTS = Number(process.env.BENCH_E2E_REQUESTS ?? 1_000);
/** Requests per second of the paced run, the figure held against the target. */
const RATE = Number(process.env.BENCH_E2E_RATE ?? 50);
/** The burst run: this many back-office calls in flight until all requests are in. */
const BURST_CONCURRENCY = 8;
const WAIT_FOR_ANSWERS_MS = 180_000;
/**
 * Warm-up requests, sent at the measured pace and not counted: as many as are measured, so the JIT of
 * the services and of the broker's produce and fetch paths has settled (on a broker started a minute
 * before, p99 is about twice what it is once warm).
 */
const WARM_UP = Number(process.env.BENCH_E2E_WARM_UP ?? REQUESTS);

/** Only to ACCIÓ, whose automatic answer is what the stopwatch waits for. */
const requestBody = () =>
  gearMakerRequestBody({ targetAgencies: ['accio'], keywords: ['gears', 'Zahnräder'] });

/** Times from "POST sent" to "candidates on the reply topic", for requests this bench sent. */
class ReplyClock {
  private readonly sentAt = new Map<string, number>();
  /** Answers seen before the API's response told us the request id (possible, if unlikely). */
  private readonly answeredAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private waiting: { count: number; done: () => void } | undefined;

  sent(requestId: string, at: number): void {
    const answered = this.answeredAt.get(requestId);
    if (answered === undefined) this.sentAt.set(requestId, at);
    else this.record(answered - at);
  }

  answered(requestId: string): void {
    const sent = this.sentAt.get(requestId);
    if (sent === undefined) {
      this.answeredAt.set(requestId, performance.now());
      return;
    }
    this.sentAt.delete(requestId);
    this.record(performance.now() - sent);
  }

  private record(latency: number): void {
    this.latencies.push(latency);
    if (this.waiting && this.latencies.length >= this.waiting.count) this.waiting.done();
  }

  /** Resolves with the latencies once `count` answers are in; fails after a bounded wait. */
  async collect(count: number): Promise<number[]> {
    if (this.latencies.length < count)
      await Promise.race([
        new Promise<void>((done) => (this.waiting = { count, done })),
        sleep(WAIT_FOR_ANSWERS_MS).then(() => {
          throw new Error(
            `only ${this.latencies.length} of ${count} answered within ${WAIT_FOR_ANSWERS_MS} ms`,
          );
        }),
      ]);
    this.waiting = undefined;
    return this.latencies.splice(0);
  }
}

async function watchReplies(cluster: RunningCluster, clock: ReplyClock): Promise<Consumer> {
  const watcher = createKafka(cluster.connection, {
    clientId: 'bench-e2e',
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `bench-e2e-${randomUUID()}`,
    // The stopwatch must not add kafkajs' fetch wait (5 s by default) to what it measures.
    maxWaitTimeInMs: 10,
  });
  await watcher.connect();
  await watcher.subscribe({ topic: TOPICS.candidateReplies, fromBeginning: false });
  const joined = new Promise<void>((resolvePromise) =>
    watcher.on(watcher.events.GROUP_JOIN, () => resolvePromise()),
  );
  void watcher.run({ eachMessage: async ({ message }) => clock.answered(message.key?.toString() ?? '') });
  await joined;
  return watcher;
}

/**
 * From "accepted by BW_i's API" to "ACCIÓ's automatic candidates are on the reply topic BW_i consumes",
 * per request, on loopback, with ACCIÓ answering from a 5,000-company directory. The figure is the p99
 * of 1,000 requests sent at a steady rate (open loop: a slow answer does not slow the sender); the same
 * 1,000 sent as fast as the API takes them are reported beside it, to show queueing under a burst.
 */
export async function endToEndBench(cluster: RunningCluster): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'passport-bench-e2e-'));
  log(`service logs in ${dir}`);
  const trust = await prepareLocalTrust(
    dir,
    loadAgencies().map((a) => a.id),
  );
  const key = randomUUID();
  const purpose = `bench-${randomUUID().slice(0, 6)}`;
  const start = (agencyId: string, port: number, env: Record<string, string> = {}) =>
    spawnAgency({
      agencyId,
      connection: agencyOn(cluster, agencyId),
      port,
      apiKeyHash: sha256Hex(key),
      candidateRefSecret: `${randomUUID()}${randomUUID()}`,
      logFile: join(dir, `${agencyId}.log`),
      keysDir: trust.keysDirOf(agencyId),
      trustListFile: trust.trustListFile,
      sqliteFile: join(dir, `${agencyId}.db`),
      extraEnv: {
        LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
        CONSUMER_GROUP_PURPOSE: purpose,
        OUTBOX_POLL_MS: '50',
        ...(process.env.CONSUMER_MAX_WAIT_MS
          ? { CONSUMER_MAX_WAIT_MS: process.env.CONSUMER_MAX_WAIT_MS }
          : {}),
        ...env,
      },
    });
  const services: AgencyProcess[] = [
    start('bwi', 28_192),
    start('accio', 28_193, { MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' }),
  ];
  const clock = new ReplyClock();
  let watcher: Consumer | undefined;
  try {
    await Promise.all(services.map((s) => waitUntilReady(s)));
    const [bwi, accio] = services as [AgencyProcess, AgencyProcess];
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    await fetch(`${accio.url}/directory/import`, {
      method: 'POST',
      headers,
      body: JSON.stringify(
        generateDemoDirectory(loadAgencies().find((a) => a.id === 'accio') as Agency, 5_000),
      ),
    });
    await waitUntilCaughtUp(
      cluster,
      [`bwi.${purpose}`, `accio.${purpose}`],
      [bwi.url, accio.url],
      WAIT_FOR_ANSWERS_MS,
    );
    watcher = await watchReplies(cluster, clock);
    const client = new BenchClient(bwi.url, headers);
    const post = async () => {
      const before = performance.now();
      const response = await client.post('/requests', requestBody());
      if (response.status !== 201) throw new Error(`BW_i answered ${response.status}: ${response.text}`);
      clock.sent((JSON.parse(response.text) as { requestId: string }).requestId, before);
    };

    /** Open loop: `count` requests at RATE, a slow answer does not slow the sender. */
    const paced = async (count: number) => {
      const began = performance.now();
      const posts: Array<Promise<void>> = [];
      for (let i = 0; i < count; i += 1) {
        const wait = began + (i * 1000) / RATE - performance.now();
        if (wait > 0) await sleep(wait);
        posts.push(post());
      }
      await Promise.all(posts);
      return clock.collect(count);
    };

    // Warm-up, not measured: connections, kafkajs metadata and the JIT settle.
    log(`warming up: ${WARM_UP} requests at ${RATE}/s…`);
    await paced(WARM_UP);
    log(`end to end: ${REQUESTS} requests at ${RATE}/s…`);
    const steady = await paced(REQUESTS);

    log(`end to end: ${REQUESTS} requests as a burst (${BURST_CONCURRENCY} in flight)…`);
    await inFlight(REQUESTS, BURST_CONCURRENCY, post);
    const burst = await clock.collect(REQUESTS);
    client.close();

    const p50 = percentile(steady, 50);
    const p99 = percentile(steady, 99);
    log(`end to end at ${RATE}/s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    log(`end to end as a burst: p99 ${percentile(burst, 99).toFixed(1)} ms`);
    return {
      name: `end to end: accepted at BW_i → automatic candidates back (${REQUESTS} requests at ${RATE}/s)`,
      figure: p99,
      unit: 'ms p99',
      target: 'p99 < 200 ms',
      met: p99 < 200,
      details: {
        p50_ms: Number(p50.toFixed(1)),
        p99_ms: Number(p99.toFixed(1)),
        requests: REQUESTS,
        rate_per_s: RATE,
        burst_p50_ms: Number(percentile(burst, 50).toFixed(1)),
        burst_p99_ms: Number(percentile(burst, 99).toFixed(1)),
      },
    };
  } finally {
    await watcher?.disconnect();
    await Promise.all(services.map((s) => s.stop()));
  }
}
