import { ProvisioningError } from '@passport/errors';
import type { JavaRuntime } from '../install/java';
import { bootstrapServers, paths, type InfraProfile } from '../profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from '../cluster-secrets';
import { writeClientProperties } from './client-properties';
import { log4jConfigFile } from './cluster';
import { runJavaTool } from './java-tool';
import { caCertificateFile } from '../tls/local-ca';

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
  for (const name of names) {
    const change = ['--add-config', `SCRAM-SHA-512=[password=${secrets.principals[name]}]`];
    const result = alterScramUser(profile, java, libs, secrets, name, change);
    if (result.status !== 0) {
      throw new ProvisioningError(
        `Creating SCRAM user ${name} failed: ${String(result.stderr).split('\n')[0]}`,
      );
    }
  }
}

/** One ConfigCommand change to a user's SCRAM credentials, run as the admin principal. */
export function alterScramUser(
  profile: InfraProfile,
  java: JavaRuntime,
  libs: string,
  secrets: ClusterSecrets,
  name: string,
  change: readonly string[],
) {
  const adminPassword = secrets.principals[ADMIN_PRINCIPAL] ?? '';
  const adminConfig = writeClientProperties(paths.pids(profile), {
    principal: ADMIN_PRINCIPAL,
    password: adminPassword,
    tls: { caFile: caCertificateFile(profile) },
  });
  return runJavaTool(
    java,
    libs,
    'org.apache.kafka.tools.ConfigCommand',
    [
      '--bootstrap-server',
      bootstrapServers(profile).join(','),
      '--command-config',
      adminConfig,
      '--alter',
      ...change,
      '--entity-type',
      'users',
      '--entity-name',
      name,
    ],
    { log4jConfig: log4jConfigFile(profile) },
  );
}
