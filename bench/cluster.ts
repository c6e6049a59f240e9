import { readFileSync } from 'node:fs';
import { asPrincipal } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import type { RunningCluster } from '../infra/src/sources/running-cluster';

/** An agency's connection on the bench cluster, with its password from the principals file. */
export function agencyOn(cluster: RunningCluster, agencyId: string): ConnectionSettings {
  const { principals } = JSON.parse(readFileSync(cluster.principalsFile as string, 'utf8')) as {
    principals: Record<string, string>;
  };
  return asPrincipal(cluster.connection, agencyId, principals[agencyId] as string);
}
