import type { ConnectionSettings } from '@passport/config';
import { kafkaNodeProcess } from '@passport/infra/kafka/cluster';
import { down, reset, up } from '@passport/infra/lifecycle';
import { runningPid } from '@passport/infra/processes';
import { paths, profileFromEnvironment, type InfraProfile } from '@passport/infra/profile';
import { principalConnection } from '@passport/infra/sources/running-cluster';

/**
 * The fault suite's own three-node cluster (profile `faults`, ports 39092-39094 and 38081 unless
 * PASSPORT_FAULTS_KAFKA_PORT / PASSPORT_FAULTS_REGISTRY_PORT say otherwise), beside the single-node
 * cluster the other tests share: killing its brokers disturbs no other test.
 */
export interface FaultCluster {
  profile: InfraProfile;
  admin: ConnectionSettings;
  agency(agencyId: string): ConnectionSettings;
  /** Stops the cluster if this run started it; its data and logs stay for a look after a failure. */
  stop(): Promise<void>;
}

export async function startFaultCluster(log: (line: string) => void): Promise<FaultCluster> {
  const profile = profileFromEnvironment('faults');
  const wasRunning = runningPid(kafkaNodeProcess(profile, 1)) !== undefined;
  // A fresh cluster each run: the drill's new consumer groups would otherwise replay every earlier run.
  if (!wasRunning) await reset(profile, log);
  const admin = await up(profile, log);
  return {
    profile,
    admin,
    agency: (agencyId) => principalConnection(admin, paths.secrets(profile), agencyId),
    stop: wasRunning ? async () => {} : () => down(profile, log),
  };
}
