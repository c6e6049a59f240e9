import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { groupLag } from '@passport/streams';
import { logLevel } from 'kafkajs';
import { principalConnection, type RunningCluster } from '@passport/infra/sources/running-cluster';
import { log } from './stats';

/** An agency's connection on the bench cluster, with its password from the principals file. */
export function agencyOn(cluster: RunningCluster, agencyId: string): ConnectionSettings {
  return principalConnection(cluster.connection, cluster.principalsFile, agencyId);
}

/** A service's unlabelled metric (besides its agency label) as its /metrics reports it; -1 if unreadable. */
export async function serviceMetric(serviceUrl: string, name: string): Promise<number> {
  const response = await fetch(`${serviceUrl}/metrics`).catch(() => undefined);
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec((await response?.text()) ?? '');
  return match ? Number(match[1]) : -1;
}

/** Events a service still has to publish: the outbox backlog its /metrics reports (-1 if unreadable). */
const outboxBacklog = (serviceUrl: string) => serviceMetric(serviceUrl, 'passport_outbox_backlog');

/**
 * Waits until the services' consumer groups have committed the end of every exchange topic and their
 * outboxes are empty: a fresh group starts from the beginning, and on a cluster that earlier
 * benchmarks (or runs) wrote to, a service would otherwise be measured while still working through
 * that history, or still publishing its answers to it (which the other service then reads).
 */
export async function waitUntilCaughtUp(
  cluster: RunningCluster,
  groupIds: string[],
  serviceUrls: string[],
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
      for (const groupId of groupIds)
        for (const { lag } of await groupLag(admin, groupId, EVENT_TOPICS)) behind += Number(lag);
      const backlogs = await Promise.all(serviceUrls.map(outboxBacklog));
      const unpublished = backlogs.reduce((sum, backlog) => sum + Math.abs(backlog), 0);
      if (behind === 0 && unpublished === 0) return;
      if (performance.now() > deadline)
        throw new Error(`services still ${behind} events behind the topics, ${unpublished} to publish`);
      log(
        `waiting for the services to catch up with earlier traffic (${behind} events behind, ${unpublished} to publish)…`,
      );
      await sleep(1_000);
    }
  } finally {
    await admin.disconnect();
  }
}
