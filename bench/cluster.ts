import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { logLevel } from 'kafkajs';
import { principalConnection, type RunningCluster } from '../infra/src/sources/running-cluster';
import { log } from './stats';

/** An agency's connection on the bench cluster, with its password from the principals file. */
export function agencyOn(cluster: RunningCluster, agencyId: string): ConnectionSettings {
  return principalConnection(cluster.connection, cluster.principalsFile, agencyId);
}

/**
 * Waits until the services' consumer groups have committed the end of every exchange topic: a fresh
 * group starts from the beginning, and on a cluster that earlier benchmarks (or runs) wrote to, a
 * service would otherwise be measured while still working through that history.
 */
export async function waitUntilCaughtUp(
  cluster: RunningCluster,
  groupIds: string[],
  timeoutMs: number,
): Promise<void> {
  const admin = createKafka(cluster.connection, {
    clientId: 'bench-catch-up',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      let behind = 0;
      for (const topic of EVENT_TOPICS) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const groupId of groupIds) {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const end of ends) {
            const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
            behind += Math.max(0, Number(end.high) - Math.max(at, 0));
          }
        }
      }
      if (behind === 0) return;
      if (performance.now() > deadline) throw new Error(`services still ${behind} events behind the topics`);
      log(`waiting for the services to catch up with earlier traffic (${behind} events behind)…`);
      await sleep(2_000);
    }
  } finally {
    await admin.disconnect();
  }
}
