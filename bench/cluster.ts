import type { ConnectionSettings } from '@passport/config';
import { principalConnection, type RunningCluster } from '../infra/src/sources/running-cluster';

/** An agency's connection on the bench cluster, with its password from the principals file. */
export function agencyOn(cluster: RunningCluster, agencyId: string): ConnectionSettings {
  return principalConnection(cluster.connection, cluster.principalsFile, agencyId);
}
