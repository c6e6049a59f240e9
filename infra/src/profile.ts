import { join, resolve } from 'node:path';
import { parseEnvironment, type Environment } from '@passport/config';
import { z } from 'zod';
import { clusterRecordFile, readClusterRecord } from './cluster-record';

/**
 * Which local cluster: the developer's (`npm run infra:up`), the one the test run shares, and the
 * three-node cluster the fault suite kills brokers of. Each has its own data and ports, so tests never
 * touch a developer's data and the fault drills never disturb the other tests.
 */
export type ProfileName = 'dev' | 'test' | 'faults';

/** Where a local cluster lives and which ports it uses. */
export interface InfraProfile {
  readonly name: ProfileName;
  /** Cache root shared by profiles: downloaded jars and the registry distribution. */
  readonly cacheDir: string;
  /** This profile's own data, logs, pids and secrets. */
  readonly homeDir: string;
  readonly nodes: 1 | 3;
  /** Client listener of node n is brokerPortBase + n - 1; its controller listener is +100, mTLS +200. */
  readonly brokerPortBase: number;
  readonly registryPort: number;
  /** JDBC URL of a PostgreSQL database for the registry; H2 files in homeDir when absent. */
  readonly registryDatabaseUrl?: string;
}

export const REPO_ROOT = resolve(__dirname, '..', '..');

const port = z.coerce.number().int().min(1024).max(65_000);

const profileEnvironment = z.object({
  PASSPORT_CACHE_DIR: z.string().min(1).optional(),
  KAFKA_NODES: z.enum(['1', '3'], { error: 'must be 1 or 3' }).optional(),
  PASSPORT_KAFKA_PORT: port.optional(),
  PASSPORT_REGISTRY_PORT: port.optional(),
  PASSPORT_REGISTRY_DATABASE_URL: z
    .string()
    .startsWith('jdbc:postgresql://', 'must be a jdbc:postgresql:// URL')
    .optional(),
});

const DEFAULT_PORTS = {
  dev: { broker: 19092, registry: 18081 },
  test: { broker: 29092, registry: 28081 },
  faults: { broker: 39092, registry: 38081 },
};

/**
 * The fault suite's cluster always has three nodes and reads its ports from variables of its own, so a
 * run that moves the test cluster's ports (PASSPORT_KAFKA_PORT) does not move it onto the same ones.
 */
const faultsEnvironment = z.object({
  PASSPORT_FAULTS_KAFKA_PORT: port.optional(),
  PASSPORT_FAULTS_REGISTRY_PORT: port.optional(),
});

function faultsProfile(cacheDir: string, env: Environment): InfraProfile {
  const parsed = parseEnvironment(faultsEnvironment, env);
  const homeDir = join(cacheDir, 'faults');
  const recorded = readClusterRecord(homeDir);
  return Object.freeze({
    name: 'faults',
    cacheDir,
    homeDir,
    nodes: 3,
    brokerPortBase:
      parsed.PASSPORT_FAULTS_KAFKA_PORT ?? recorded?.brokerPortBase ?? DEFAULT_PORTS.faults.broker,
    registryPort:
      parsed.PASSPORT_FAULTS_REGISTRY_PORT ?? recorded?.registryPort ?? DEFAULT_PORTS.faults.registry,
  });
}

/**
 * The profile's shape comes from the environment when it says so, else from the cluster's own record
 * (written at format time, refreshed at each start), else from the defaults. KAFKA_NODES therefore
 * matters only when a cluster is first formatted; a later command without it still sees three nodes.
 */
export function profileFromEnvironment(name: ProfileName, env: Environment = process.env): InfraProfile {
  const parsed = parseEnvironment(profileEnvironment, env);
  const cacheDir = resolve(parsed.PASSPORT_CACHE_DIR ?? join(REPO_ROOT, '.passport'));
  if (name === 'faults') return faultsProfile(cacheDir, env);
  const homeDir = join(cacheDir, name);
  const recorded = readClusterRecord(homeDir);
  const nodes = parsed.KAFKA_NODES ?? (recorded?.nodes === 3 ? '3' : '1');
  return Object.freeze({
    name,
    cacheDir,
    homeDir,
    nodes: nodes === '3' ? 3 : 1,
    brokerPortBase: parsed.PASSPORT_KAFKA_PORT ?? recorded?.brokerPortBase ?? DEFAULT_PORTS[name].broker,
    registryPort: parsed.PASSPORT_REGISTRY_PORT ?? recorded?.registryPort ?? DEFAULT_PORTS[name].registry,
    ...(parsed.PASSPORT_REGISTRY_DATABASE_URL
      ? { registryDatabaseUrl: parsed.PASSPORT_REGISTRY_DATABASE_URL }
      : {}),
  });
}

export function nodeIds(profile: InfraProfile): number[] {
  return Array.from({ length: profile.nodes }, (_, index) => index + 1);
}

export function brokerPort(profile: InfraProfile, nodeId: number): number {
  return profile.brokerPortBase + nodeId - 1;
}

export function controllerPort(profile: InfraProfile, nodeId: number): number {
  return profile.brokerPortBase + 100 + nodeId - 1;
}

/** Listener where principals present a client certificate instead of a password (mTLS). */
export function mtlsPort(profile: InfraProfile, nodeId: number): number {
  return profile.brokerPortBase + 200 + nodeId - 1;
}

export function mtlsBootstrapServers(profile: InfraProfile): string[] {
  return nodeIds(profile).map((id) => `127.0.0.1:${mtlsPort(profile, id)}`);
}

export function bootstrapServers(profile: InfraProfile): string[] {
  return nodeIds(profile).map((id) => `127.0.0.1:${brokerPort(profile, id)}`);
}

/** HTTPS only: the certificate comes from the profile's CA, which clients are given to verify it. */
export function registryUrl(profile: InfraProfile): string {
  return `https://127.0.0.1:${profile.registryPort}/apis/ccompat/v7`;
}

/** Keycloak, the registry's identity provider, listens next to the registry (HTTPS). */
export function identityProviderPort(profile: InfraProfile): number {
  return profile.registryPort + 2;
}

/** Keycloak's management interface (health). */
export function identityProviderManagementPort(profile: InfraProfile): number {
  return profile.registryPort + 3;
}

export const paths = {
  kafkaLibs: (p: InfraProfile) => join(p.cacheDir, 'kafka', 'libs'),
  registryDist: (p: InfraProfile) => join(p.cacheDir, 'apicurio'),
  keycloakDist: (p: InfraProfile) => join(p.cacheDir, 'keycloak'),
  mavenWork: (p: InfraProfile) => join(p.cacheDir, 'maven'),
  secrets: (p: InfraProfile) => join(p.homeDir, 'secrets.json'),
  clusterState: (p: InfraProfile) => clusterRecordFile(p.homeDir),
  nodeDir: (p: InfraProfile, nodeId: number) => join(p.homeDir, 'kafka', `node-${nodeId}`),
  registryData: (p: InfraProfile) => join(p.homeDir, 'registry'),
  keycloakData: (p: InfraProfile) => join(p.homeDir, 'keycloak'),
  logs: (p: InfraProfile) => join(p.homeDir, 'logs'),
  pids: (p: InfraProfile) => join(p.homeDir, 'run'),
};
