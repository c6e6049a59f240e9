import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKafka } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import { logLevel } from 'kafkajs';
import type { RunningCluster } from '../infra/src/sources/running-cluster';
import { spawnAgency, waitUntilReady, type AgencyProcess } from '../infra/src/system/agency-process';
import { sha256Hex } from '../infra/src/system/api-keys';
import { generateDemoDirectory } from '../infra/src/system/demo-directory';
import { agencyOn } from './cluster';
import { log, percentile, type BenchResult } from './stats';

const REQUESTS = 1_000;
const CONCURRENCY = 8;

/**
 * From "accepted by BW_i's API" to "ACCIÓ's automatic candidates are on the reply topic BW_i consumes",
 * per request, on loopback, with ACCIÓ answering from a 5,000-company directory.
 */
export async function endToEndBench(cluster: RunningCluster): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'passport-bench-e2e-'));
  const key = randomUUID();
  const purpose = `bench-${randomUUID().slice(0, 6)}`;
  const start = (agencyId: string, port: number, env: Record<string, string> = {}) =>
    spawnAgency({
      agencyId,
      connection: agencyOn(cluster, agencyId),
      port,
      apiKeyHash: sha256Hex(key),
      logFile: join(dir, `${agencyId}.log`),
      sqliteFile: join(dir, `${agencyId}.db`),
      extraEnv: { LOG_LEVEL: 'warn', CONSUMER_GROUP_PURPOSE: purpose, OUTBOX_POLL_MS: '50', ...env },
    });
  const services: AgencyProcess[] = [
    start('bwi', 28_192),
    start('accio', 28_193, { MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' }),
  ];
  const watcher = createKafka(cluster.connection, {
    clientId: 'bench-e2e',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `bench-e2e-${randomUUID()}` });
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
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    await watcher.connect();
    await watcher.subscribe({ topic: TOPICS.candidateReplies, fromBeginning: false });
    const joined = new Promise<void>((resolvePromise) =>
      watcher.on(watcher.events.GROUP_JOIN, () => resolvePromise()),
    );
    const allBack = new Promise<void>((resolvePromise) => {
      void watcher.run({
        eachMessage: async ({ message }) => {
          const sent = sentAt.get(message.key?.toString() ?? '');
          if (sent === undefined) return;
          latencies.push(performance.now() - sent);
          if (latencies.length === REQUESTS) resolvePromise();
        },
      });
    });
    await joined;
    const body = (deadline: string) =>
      JSON.stringify({
        firm: {
          name: 'Bench GmbH',
          contact: {
            fullName: 'B',
            role: null,
            email: 'b@bench.example',
            phone: null,
            preferredLanguage: 'de',
          },
        },
        profile: {
          kind: 'CUSTOMER',
          title: 'Distributors for precision gears',
          summary: 'A maker of gears seeks distributors.',
          description: 'Spur gears for machine builders.',
          textLanguage: 'en',
          keywords: ['gears', 'Zahnräder'],
          sectors: [{ code: '28.15', revision: 'REV_2' }],
          partnershipTypes: ['DISTRIBUTION'],
          targetAgencies: ['accio'],
          workingLanguages: ['en'],
          deadline,
          firm: { sizeBand: 'SMALL', nutsRegion: 'DE11', exportExperience: 'NONE' },
        },
      });
    let issued = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (issued < REQUESTS) {
          issued += 1;
          const before = performance.now();
          const response = await fetch(`${bwi.url}/requests`, {
            method: 'POST',
            headers,
            body: body(new Date(Date.now() + 30 * 86_400_000).toISOString()),
          });
          sentAt.set(((await response.json()) as { requestId: string }).requestId, before);
        }
      }),
    );
    await Promise.race([
      allBack,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`only ${latencies.length} of ${REQUESTS} answered within 120 s`)),
          120_000,
        ),
      ),
    ]);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(`end to end p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    return {
      name: 'end to end: accepted at BW_i → automatic candidates back (1,000 requests)',
      figure: p99,
      unit: 'ms p99',
      target: 'p99 < 200 ms',
      met: p99 < 200,
      details: {
        p50_ms: Number(p50.toFixed(1)),
        p99_ms: Number(p99.toFixed(1)),
        requests: REQUESTS,
        concurrency: CONCURRENCY,
      },
    };
  } finally {
    await watcher.disconnect();
    await Promise.all(services.map((s) => s.stop()));
  }
}
