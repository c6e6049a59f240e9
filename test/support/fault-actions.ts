import { setTimeout as sleep } from 'node:timers/promises';
import { connectionToEnvironment, type ConnectionSettings } from '@passport/config';
import { createKafka } from '@passport/bus';
import { EVENT_TOPICS } from '@passport/events';
import { logLevel } from 'kafkajs';
import { kafkaNodeProcess } from '@passport/infra/kafka/cluster';
import { runKafkaTool } from '@passport/infra/kafka-tools/run-tool';
import { up } from '@passport/infra/lifecycle';
import { runningPid, stopProcess, type ManagedProcess } from '@passport/infra/processes';
import type { InfraProfile } from '@passport/infra/profile';
import { registryProcess } from '@passport/infra/registry/apicurio';

/**
 * What the broker-fault suite does to its local three-node cluster: kill or stop one process, find the
 * broker that leads the exchange's partitions or the active controller, and bring back what is down.
 */

async function killProcess(proc: ManagedProcess, what: string): Promise<void> {
  const pid = runningPid(proc);
  if (pid === undefined) throw new Error(`${what} is not running`);
  process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error(`${what} (pid ${pid}) survived SIGKILL for 10 s`);
}

/** SIGKILL to one broker: no clean shutdown, no leadership handed over. */
export function killBroker(profile: InfraProfile, nodeId: number): Promise<void> {
  return killProcess(kafkaNodeProcess(profile, nodeId), `Kafka node ${nodeId}`);
}

/** SIGTERM and wait for the exit: the broker hands its leaderships over first, as in a rolling restart. */
export async function stopBroker(profile: InfraProfile, nodeId: number): Promise<void> {
  if (!(await stopProcess(kafkaNodeProcess(profile, nodeId), 60_000)))
    throw new Error(`Kafka node ${nodeId} is not running`);
}

export function killRegistry(profile: InfraProfile): Promise<void> {
  return killProcess(registryProcess(profile), 'the schema registry');
}

/** Starts whatever of the cluster is down and waits until it answers; the rest is left alone. */
export async function restoreCluster(profile: InfraProfile): Promise<void> {
  await up(profile, () => undefined);
}

async function withAdmin<T>(
  admin: ConnectionSettings,
  work: (client: ReturnType<ReturnType<typeof createKafka>['admin']>) => Promise<T>,
): Promise<T> {
  const client = createKafka(admin, { clientId: 'fault-drill-admin', logLevel: logLevel.NOTHING }).admin();
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.disconnect();
  }
}

/** The broker leading the most partitions of the exchange topics: the one whose loss hurts most. */
export function leaderOfMostPartitions(admin: ConnectionSettings): Promise<number> {
  return withAdmin(admin, async (client) => {
    const { topics } = await client.fetchTopicMetadata({ topics: [...EVENT_TOPICS] });
    const led = new Map<number, number>();
    for (const partition of topics.flatMap((topic) => topic.partitions))
      led.set(partition.leader, (led.get(partition.leader) ?? 0) + 1);
    const [busiest] = [...led.entries()].sort((a, b) => b[1] - a[1]);
    if (!busiest) throw new Error('the exchange topics have no partition leaders');
    return busiest[0];
  });
}

/**
 * The active KRaft controller, from Kafka's own metadata-quorum tool: the controller id a client sees in
 * a metadata response is any live broker under KRaft, not the quorum's leader.
 */
export function activeController(admin: ConnectionSettings): number {
  const result = runKafkaTool(
    {
      tool: 'metadata-quorum',
      principal: admin.sasl?.username ?? 'admin',
      profile: 'faults',
      toolArgs: ['describe', '--status'],
    },
    { env: { ...process.env, ...connectionToEnvironment(admin) }, capture: true, timeoutMs: 60_000 },
  );
  const leader = /^LeaderId:\s*(\d+)$/m.exec(result.stdout ?? '');
  if (result.status !== 0 || !leader)
    throw new Error(`metadata-quorum describe failed (exit ${result.status}): ${result.stderr}`);
  return Number(leader[1]);
}

/** Every partition of the exchange topics back to three in-sync replicas, so the next fault is alone. */
export function waitForFullIsr(admin: ConnectionSettings, timeoutMs: number): Promise<void> {
  return withAdmin(admin, async (client) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics } = await client.fetchTopicMetadata({ topics: [...EVENT_TOPICS] });
        const short = topics.flatMap((t) => t.partitions).filter((p) => p.isr.length < 3).length;
        if (short === 0) return;
        if (Date.now() > deadline) throw new Error(`${short} partitions still below 3 in-sync replicas`);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await sleep(1_000);
    }
  });
}
