import { rmSync } from 'node:fs';
import { loadAgencies, type ConnectionSettings } from '@passport/config';
import { identityProviderUrl, startIdentityProvider, stopIdentityProvider } from './identity/keycloak';
import { provisionRealm } from './identity/realm';
import { findJava, type JavaRuntime } from './install/java';
import { installKeycloak } from './install/keycloak';
import { installKafka, installRegistry } from './install/install';
import { minInsyncReplicas, replicationFactor } from './kafka/broker-config';
import { readClusterState, startKafka, stopKafka } from './kafka/cluster';
import { addScramUsers } from './kafka/scram-users';
import { localConnection } from './local-connection';
import { paths, type InfraProfile } from './profile';
import { provision } from './provision';
import { writeConsoleConfigFile } from './system/console-config-file';
import { startRegistry, stopRegistry } from './registry/apicurio';
import { ADMIN_PRINCIPAL, ensureSecrets, type ClusterSecrets } from './cluster-secrets';
import { caCertificateFile, ensureLocalCa } from './tls/local-ca';
import { KAFKA_MIN_JAVA, REGISTRY_MIN_JAVA } from './versions';

export type Log = (line: string) => void;

/** Downloads what is missing; nothing is started. */
export async function install(profile: InfraProfile, log: Log): Promise<void> {
  findJava(KAFKA_MIN_JAVA, 'Kafka');
  const registryJava = findJava(REGISTRY_MIN_JAVA, 'Apicurio Registry');
  await installKafka(profile, log);
  await installRegistry(profile, log);
  await installKeycloak(profile, registryJava, log);
}

/**
 * Keycloak first, then its realm, then the registry: the registry checks tokens against the realm, so it
 * is started only once the realm it trusts exists.
 */
async function startSchemaRegistry(
  profile: InfraProfile,
  java: JavaRuntime,
  installed: { registry: string; keycloak: string },
  secrets: ClusterSecrets,
  principals: readonly string[],
  log: Log,
): Promise<void> {
  const { registry: distribution, keycloak } = installed;
  await startIdentityProvider(profile, java, keycloak, secrets, log);
  await provisionRealm(identityProviderUrl(profile), caCertificateFile(profile), secrets, principals, log);
  await startRegistry(profile, java, distribution, log);
}

/**
 * Brings the local cluster to "answering and provisioned", starting only what is not running yet.
 * Returns the admin connection.
 */
export async function up(profile: InfraProfile, log: Log): Promise<ConnectionSettings> {
  const agencies = loadAgencies();
  const kafkaJava = findJava(KAFKA_MIN_JAVA, 'Kafka');
  const registryJava = findJava(REGISTRY_MIN_JAVA, 'Apicurio Registry');
  const libs = await installKafka(profile, log);
  // Installed before anything starts: Keycloak's one-time build takes the CPU a starting broker needs.
  const installed = {
    registry: await installRegistry(profile, log),
    keycloak: await installKeycloak(profile, registryJava, log),
  };
  const alreadyFormatted = readClusterState(profile) !== undefined;
  const principals = [ADMIN_PRINCIPAL, ...agencies.map((agency) => agency.id)];
  const { secrets, added } = ensureSecrets(paths.secrets(profile), principals);
  ensureLocalCa(profile);
  await Promise.all([
    startKafka(profile, kafkaJava, libs, secrets, log),
    startSchemaRegistry(profile, registryJava, installed, secrets, principals, log),
  ]);
  if (alreadyFormatted && added.length > 0) {
    log(`Adding SCRAM users for new principals: ${added.join(', ')}.`);
    addScramUsers(profile, kafkaJava, libs, secrets, added);
  }
  const connection = localConnection(profile, secrets);
  await provision(
    connection,
    agencies,
    {
      replicationFactor: replicationFactor(profile),
      minInsyncReplicas: minInsyncReplicas(profile),
      brokers: profile.nodes,
    },
    log,
  );
  writeConsoleConfigFile(profile, connection);
  return connection;
}

export async function down(profile: InfraProfile, log: Log): Promise<void> {
  await Promise.all([
    stopKafka(profile, log),
    stopRegistry(profile, log),
    stopIdentityProvider(profile, log),
  ]);
}

/** Stops everything and deletes the profile's data, logs and secrets; downloads are kept. */
export async function reset(profile: InfraProfile, log: Log): Promise<void> {
  await down(profile, log);
  rmSync(profile.homeDir, { recursive: true, force: true });
  log(`Deleted ${profile.homeDir}.`);
}
