import { connectionToEnvironment } from '@passport/config';
import { startCluster } from '@passport/infra/sources/start-cluster';
import type { RunningCluster } from '@passport/infra/sources/running-cluster';

/**
 * One cluster for the whole run, shared by the integration and e2e projects. Jest runs each project's
 * global setup, so the cluster is reference-counted and the last teardown stops it. The connection
 * reaches the test workers through the environment, which they inherit.
 */
interface SharedCluster {
  cluster: RunningCluster;
  users: number;
}

const registry = globalThis as typeof globalThis & { __passportCluster?: SharedCluster };

export default async function globalSetup(): Promise<void> {
  if (!registry.__passportCluster) {
    const started = Date.now();
    const cluster = await startCluster((line) => process.stderr.write(`[cluster] ${line}\n`));
    process.stderr.write(
      `[cluster] ${cluster.kind} cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    Object.assign(process.env, connectionToEnvironment(cluster.connection), {
      PASSPORT_CLUSTER_SOURCE: cluster.kind,
      ...(cluster.principalsFile ? { PASSPORT_PRINCIPALS_FILE: cluster.principalsFile } : {}),
    });
    registry.__passportCluster = { cluster, users: 0 };
  }
  registry.__passportCluster.users += 1;
}
