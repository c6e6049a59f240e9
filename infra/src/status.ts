import { existsSync } from 'node:fs';
import { createKafka, registryCall } from '@passport/bus';
import { logLevel } from 'kafkajs';
import { kafkaNodeProcess, readClusterState } from './kafka/cluster';
import { localConnection } from './local-connection';
import { runningPid } from './processes';
import { identityProviderProcess, identityProviderUrl, isIdentityProviderReady } from './identity/keycloak';
import { REALM } from './identity/realm';
import {
  brokerPort,
  controllerPort,
  identityProviderManagementPort,
  identityProviderPort,
  mtlsPort,
  nodeIds,
  paths,
  registryUrl,
  type InfraProfile,
} from './profile';
import { isRegistryAnswering, registryProcess } from './registry/apicurio';
import { readSecrets } from './cluster-secrets';
import { brokerCertificateFile } from './kafka/cluster';
import { caCertificateFile, certificateNotAfter } from './tls/local-ca';
import { principalOf } from './topology/acls';
import { currentAcls } from './topology/apply-acls';
import { describeAcl } from './topology/acls';

export interface InfraStatus {
  profile: string;
  home: string;
  processes: { role: string; pid: number | null; ports: number[] }[];
  registry: { url: string; answering: boolean; subjects: string[]; compatibility: string | null };
  /** The profile's CA and the broker certificate, with their end of validity (ISO 8601). */
  tls: { file: string; notAfter: string }[];
  identityProvider: { url: string; ready: boolean };
  principals: string[];
  topics: { name: string; partitions: number; retentionMs: string | null }[];
  acls: string[];
  errors: string[];
}

/** Subjects and compatibility are read as the operator, whose credentials the secrets file holds. */
async function registryFacts(profile: InfraProfile): Promise<InfraStatus['registry']> {
  const url = registryUrl(profile);
  const answering = await isRegistryAnswering(profile);
  if (!answering || !existsSync(paths.secrets(profile)))
    return { url, answering, subjects: [], compatibility: null };
  const registry = localConnection(profile, readSecrets(paths.secrets(profile))).registry;
  const read = async (path: string) => JSON.parse((await registryCall(registry, path)).text) as unknown;
  const subjects = (await read('/subjects')) as string[];
  const config = (await read('/config')) as { compatibilityLevel?: string };
  return { url, answering, subjects, compatibility: config.compatibilityLevel ?? null };
}

async function kafkaFacts(profile: InfraProfile, status: InfraStatus): Promise<void> {
  const secrets = readSecrets(paths.secrets(profile));
  status.principals = Object.keys(secrets.principals);
  const admin = createKafka(localConnection(profile, secrets), {
    clientId: 'passport-status',
    logLevel: logLevel.NOTHING,
    retries: 1,
  }).admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter((name) => !name.startsWith('__')).sort();
    const metadata = names.length ? await admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
    const configs = names.length
      ? await admin.describeConfigs({
          includeSynonyms: false,
          resources: names.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })),
        })
      : { resources: [] };
    status.topics = [...metadata.topics]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.length,
        retentionMs:
          configs.resources.find((r) => r.resourceName === topic.name)?.configEntries[0]?.configValue ?? null,
      }));
    for (const principal of status.principals.filter((name) => name !== 'admin')) {
      status.acls.push(...(await currentAcls(admin, principalOf(principal))).map(describeAcl));
    }
  } finally {
    await admin.disconnect();
  }
}

function tlsFacts(profile: InfraProfile): InfraStatus['tls'] {
  const files = [caCertificateFile(profile), brokerCertificateFile(profile)];
  return files
    .filter((file) => existsSync(file))
    .map((file) => ({ file, notAfter: certificateNotAfter(file).toISOString() }));
}

export async function collectStatus(profile: InfraProfile): Promise<InfraStatus> {
  const state = readClusterState(profile);
  const ids = state ? Array.from({ length: state.nodes }, (_, index) => index + 1) : nodeIds(profile);
  const status: InfraStatus = {
    profile: profile.name,
    home: profile.homeDir,
    processes: [
      ...ids.map((id) => ({
        role: `kafka-${id}`,
        pid: runningPid(kafkaNodeProcess(profile, id)) ?? null,
        ports: [brokerPort(profile, id), controllerPort(profile, id), mtlsPort(profile, id)],
      })),
      { role: 'registry', pid: runningPid(registryProcess(profile)) ?? null, ports: [profile.registryPort] },
      {
        role: 'keycloak',
        pid: runningPid(identityProviderProcess(profile)) ?? null,
        ports: [identityProviderPort(profile), identityProviderManagementPort(profile)],
      },
    ],
    identityProvider: {
      url: identityProviderUrl(profile),
      ready: await isIdentityProviderReady(profile),
    },
    registry: await registryFacts(profile),
    tls: tlsFacts(profile),
    principals: [],
    topics: [],
    acls: [],
    errors: [],
  };
  const kafkaRunning = status.processes.some((p) => p.role.startsWith('kafka') && p.pid !== null);
  if (kafkaRunning && existsSync(paths.secrets(profile))) {
    try {
      await kafkaFacts(profile, status);
    } catch (error) {
      status.errors.push(`Kafka did not answer: ${(error as Error).message}`);
    }
  }
  return status;
}

export function renderStatus(status: InfraStatus): string {
  const out: string[] = [`Local cluster "${status.profile}" in ${status.home}`, '', 'Processes:'];
  for (const p of status.processes) {
    out.push(
      `  ${p.role.padEnd(10)} ${p.pid === null ? 'stopped' : `running (pid ${p.pid})`}  ports ${p.ports.join(', ')}`,
    );
  }
  out.push(
    '',
    `Registry: ${status.registry.url} ${status.registry.answering ? 'answering' : 'not answering'}`,
  );
  if (status.registry.answering) {
    out.push(
      `  default compatibility: ${status.registry.compatibility}`,
      `  subjects (${status.registry.subjects.length}): ${status.registry.subjects.join(', ') || '-'}`,
    );
  }
  out.push('', 'TLS (clients trust the first file: KAFKA_SSL_CA_FILE):');
  for (const { file, notAfter } of status.tls) out.push(`  ${file}  valid until ${notAfter}`);
  if (status.tls.length === 0) out.push('  no CA yet (npm run infra:up creates it)');
  out.push(
    `Identity provider (Keycloak, realm ${REALM}): ${status.identityProvider.url} ${status.identityProvider.ready ? 'ready' : 'not ready'}`,
  );
  out.push(
    '',
    `Principals (${status.principals.length}): ${status.principals.join(', ') || '-'}`,
    '',
    `Topics (${status.topics.length}):`,
  );
  for (const t of status.topics) {
    const days =
      t.retentionMs === null
        ? '?'
        : Number(t.retentionMs) < 0
          ? 'forever'
          : `${Math.round(Number(t.retentionMs) / 86_400_000)} days`;
    out.push(`  ${t.name.padEnd(36)} ${String(t.partitions).padStart(2)} partitions  retention ${days}`);
  }
  out.push('', `ACLs (${status.acls.length}):`, ...status.acls.map((acl) => `  ${acl}`));
  if (status.errors.length) out.push('', 'Problems:', ...status.errors.map((e) => `  ${e}`));
  return out.join('\n');
}
