import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a local cluster is, written when its storage is formatted and kept current by each start: its
 * node count and ports. Every command and service of the profile reads its shape from here, so a
 * three-node cluster is not taken for one node by a command run without KAFKA_NODES=3 (a console that
 * bootstrapped from node 1 alone failed while node 1 was down).
 */
export interface ClusterRecord {
  clusterId: string;
  nodes: number;
  formattedAt: string;
  /** Absent in records written before the ports were recorded; the defaults apply then. */
  brokerPortBase?: number;
  registryPort?: number;
}

export const clusterRecordFile = (homeDir: string) => join(homeDir, 'cluster.json');

export function readClusterRecord(homeDir: string): ClusterRecord | undefined {
  const file = clusterRecordFile(homeDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterRecord) : undefined;
}

export function writeClusterRecord(homeDir: string, record: ClusterRecord): void {
  writeFileSync(clusterRecordFile(homeDir), JSON.stringify(record, null, 2));
}
