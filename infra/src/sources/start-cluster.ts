import { connectionFromEnvironment, loadAgencies } from '@passport/config';
import { kafkaNodeProcess } from '../kafka/cluster';
import { down, up } from '../lifecycle';
import { runningPid } from '../processes';
import { paths, profileFromEnvironment } from '../profile';
import { registryProcess } from '../registry/apicurio';
import { chooseClusterSource } from './choose';
import { dockerEngineAnswers } from './docker-probe';
import { startContainers } from './testcontainers';
import type { RunningCluster } from './running-cluster';

/**
 * Gives tests (and programs that want one) a cluster: the one the environment names, containers, or
 * the local JVM install under the `test` profile. Only what this call started is stopped afterwards.
 */
export async function startCluster(
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCluster> {
  const kind = chooseClusterSource(env, env.KAFKA_BROKERS ? false : await dockerEngineAnswers(env));
  if (kind === 'external') {
    return {
      kind,
      connection: connectionFromEnvironment(env),
      principalsFile: env.PASSPORT_PRINCIPALS_FILE,
      stop: async () => {},
    };
  }
  if (kind === 'testcontainers') {
    return startContainers(loadAgencies(), log);
  }
  const profile = profileFromEnvironment('test', env);
  const wasRunning =
    runningPid(kafkaNodeProcess(profile, 1)) !== undefined &&
    runningPid(registryProcess(profile)) !== undefined;
  const connection = await up(profile, log);
  return {
    kind,
    connection,
    principalsFile: paths.secrets(profile),
    stop: wasRunning ? async () => {} : () => down(profile, log),
  };
}
