import { ProvisioningError } from '@passport/errors';
import type { JavaRuntime } from '../install/java';
import { bootstrapServers, paths, type InfraProfile } from '../profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from '../cluster-secrets';
import { writeClientProperties } from './client-properties';
import { log4jConfigFile } from './cluster';
import { runJavaTool } from './java-tool';

/**
 * SCRAM users for principals that appeared after the cluster was formatted (an agency added to the
 * agency list later). kafkajs has no AlterUserScramCredentials, so Kafka's own ConfigCommand does it.
 */
export function addScramUsers(
  profile: InfraProfile,
  java: JavaRuntime,
  libs: string,
  secrets: ClusterSecrets,
  names: readonly string[],
): void {
  if (names.length === 0) return;
  const adminPassword = secrets.principals[ADMIN_PRINCIPAL] ?? '';
  const adminConfig = writeClientProperties(paths.pids(profile), ADMIN_PRINCIPAL, adminPassword);
  for (const name of names) {
    const password = secrets.principals[name];
    const result = runJavaTool(
      java,
      libs,
      'org.apache.kafka.tools.ConfigCommand',
      [
        '--bootstrap-server',
        bootstrapServers(profile).join(','),
        '--command-config',
        adminConfig,
        '--alter',
        '--add-config',
        `SCRAM-SHA-512=[password=${password}]`,
        '--entity-type',
        'users',
        '--entity-name',
        name,
      ],
      { log4jConfig: log4jConfigFile(profile) },
    );
    if (result.status !== 0) {
      throw new ProvisioningError(
        `Creating SCRAM user ${name} failed: ${String(result.stderr).split('\n')[0]}`,
      );
    }
  }
}
