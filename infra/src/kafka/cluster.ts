import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterMismatchError, ProcessError } from '@passport/errors';
import type { JavaRuntime } from '../install/java';
import {
  type ManagedProcess,
  assertPortFree,
  identityFlags,
  isPortOpen,
  runningPid,
  startDetached,
  stopProcess,
  waitUntil,
} from '../processes';
import { brokerPort, controllerPort, mtlsPort, nodeIds, paths, type InfraProfile } from '../profile';
import type { ClusterSecrets } from '../cluster-secrets';
import { caCertificateFile, issueCertificate, LOOPBACK_NAMES, tlsDir } from '../tls/local-ca';
import { LOG4J2_PROPERTIES, renderBrokerConfig, type BrokerTlsFiles } from './broker-config';
import { runJavaTool } from './java-tool';
import { readClusterRecord, writeClusterRecord, type ClusterRecord } from '../cluster-record';

type Log = (line: string) => void;

export function kafkaNodeProcess(profile: InfraProfile, nodeId: number): ManagedProcess {
  return { role: `kafka-${nodeId}`, homeDir: profile.homeDir, pidDir: paths.pids(profile) };
}

export function log4jConfigFile(profile: InfraProfile): string {
  return join(profile.homeDir, 'kafka', 'log4j2.properties');
}

export function readClusterState(profile: InfraProfile): ClusterRecord | undefined {
  return readClusterRecord(profile.homeDir);
}

/** A KRaft cluster id is a UUID in URL-safe base64 without padding. */
function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

/** Name of the certificate every node presents; all nodes listen on loopback, so one serves them all. */
export const BROKER_CERTIFICATE = 'kafka-broker';

export const brokerCertificateFile = (profile: InfraProfile) =>
  join(tlsDir(profile), `${BROKER_CERTIFICATE}.pem`);

/** Issues (or reuses) the broker certificate for 127.0.0.1 and localhost, signed by the profile's CA. */
export function brokerTlsFiles(profile: InfraProfile): BrokerTlsFiles {
  const issued = issueCertificate(profile, BROKER_CERTIFICATE, 'server', LOOPBACK_NAMES);
  return { keyStoreFile: issued.keyStoreFile, trustStoreFile: caCertificateFile(profile) };
}

function writeNodeFiles(profile: InfraProfile, secrets: ClusterSecrets): void {
  mkdirSync(join(profile.homeDir, 'kafka'), { recursive: true, mode: 0o700 });
  writeFileSync(log4jConfigFile(profile), LOG4J2_PROPERTIES);
  const tls = brokerTlsFiles(profile);
  for (const nodeId of nodeIds(profile)) {
    mkdirSync(paths.nodeDir(profile, nodeId), { recursive: true, mode: 0o700 });
    // Holds the admin and controller passwords: owner-only, like the secrets file.
    writeFileSync(
      join(paths.nodeDir(profile, nodeId), 'server.properties'),
      renderBrokerConfig(profile, nodeId, secrets, tls),
      { mode: 0o600 },
    );
  }
}

/**
 * Formats every node's storage once, creating the SCRAM users in the bootstrap metadata so the very
 * first start already requires authentication.
 */
function formatStorage(
  profile: InfraProfile,
  java: JavaRuntime,
  libs: string,
  secrets: ClusterSecrets,
  log: Log,
): void {
  const state = readClusterState(profile);
  if (state) {
    if (state.nodes !== profile.nodes) {
      throw new ClusterMismatchError(
        `The local cluster in ${profile.homeDir} was formatted with ${state.nodes} node(s), but KAFKA_NODES=${profile.nodes}. Run \`npm run infra:reset\` first (it deletes the local data) or unset KAFKA_NODES.`,
      );
    }
    recordShape(profile, state);
    return;
  }
  const clusterId = newClusterId();
  const scram = Object.entries(secrets.principals).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);
  log(
    `Formatting Kafka storage for ${profile.nodes} node(s) with ${Object.keys(secrets.principals).length} SCRAM principals…`,
  );
  for (const nodeId of nodeIds(profile)) {
    const config = join(paths.nodeDir(profile, nodeId), 'server.properties');
    const result = runJavaTool(
      java,
      libs,
      'kafka.tools.StorageTool',
      // '=' form: a base64url id may start with '-', which would be read as an option.
      ['format', `--cluster-id=${clusterId}`, '-c', config, ...scram],
      {
        log4jConfig: log4jConfigFile(profile),
      },
    );
    if (result.status !== 0) {
      // The tool's output echoes SCRAM records (salted keys, never the passwords); show only its error lines.
      const reason = `${result.stderr ?? ''}`
        .split('\n')
        .filter((line) => /error|exception/i.test(line))
        .slice(0, 3)
        .join(' ');
      throw new ProcessError(
        'PASSPORT_PROCESS_FAILED',
        `Formatting node ${nodeId} failed: ${reason || `exit ${result.status}`}`,
      );
    }
  }
  recordShape(profile, { clusterId, nodes: profile.nodes, formattedAt: new Date().toISOString() });
}

/** Keeps the record's ports those of this start, for the commands that read the shape from it. */
function recordShape(profile: InfraProfile, record: ClusterRecord): void {
  const { brokerPortBase, registryPort } = profile;
  if (record.brokerPortBase === brokerPortBase && record.registryPort === registryPort) return;
  writeClusterRecord(profile.homeDir, { ...record, brokerPortBase, registryPort });
}

async function startNode(
  profile: InfraProfile,
  nodeId: number,
  java: JavaRuntime,
  libs: string,
  log: Log,
): Promise<void> {
  const proc = kafkaNodeProcess(profile, nodeId);
  if (runningPid(proc) !== undefined) {
    log(`Kafka node ${nodeId} already running on 127.0.0.1:${brokerPort(profile, nodeId)}.`);
    return;
  }
  await assertPortFree(
    brokerPort(profile, nodeId),
    `Kafka node ${nodeId} client listener`,
    'PASSPORT_KAFKA_PORT',
  );
  await assertPortFree(
    controllerPort(profile, nodeId),
    `Kafka node ${nodeId} controller listener`,
    'PASSPORT_KAFKA_PORT',
  );
  await assertPortFree(
    mtlsPort(profile, nodeId),
    `Kafka node ${nodeId} mTLS listener`,
    'PASSPORT_KAFKA_PORT',
  );
  mkdirSync(paths.logs(profile), { recursive: true });
  const logFile = join(paths.logs(profile), `kafka-${nodeId}.log`);
  const args = [
    '-Xms256m',
    '-Xmx768m',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jConfigFile(profile)}`,
    ...identityFlags(proc),
    '-cp',
    join(libs, '*'),
    'kafka.Kafka',
    join(paths.nodeDir(profile, nodeId), 'server.properties'),
  ];
  startDetached(proc, java.executable, args, logFile, process.env);
  log(`Started Kafka node ${nodeId} (log: ${logFile}).`);
}

export async function startKafka(
  profile: InfraProfile,
  java: JavaRuntime,
  libs: string,
  secrets: ClusterSecrets,
  log: Log,
): Promise<void> {
  writeNodeFiles(profile, secrets);
  formatStorage(profile, java, libs, secrets, log);
  for (const nodeId of nodeIds(profile)) await startNode(profile, nodeId, java, libs, log);
  for (const nodeId of nodeIds(profile)) {
    const pid = runningPid(kafkaNodeProcess(profile, nodeId));
    await waitUntil(() => isPortOpen(brokerPort(profile, nodeId)), {
      what: `Kafka node ${nodeId}`,
      timeoutMs: 60_000,
      logFile: join(paths.logs(profile), `kafka-${nodeId}.log`),
      ...(pid === undefined ? {} : { pid }),
    });
  }
}

/** Highest node count a profile can have; stopping looks at all of them whatever KAFKA_NODES says now. */
const MAX_NODES = 3;

export async function stopKafka(profile: InfraProfile, log: Log): Promise<void> {
  // All nodes at once: stopped one by one, the last controllers of a quorum wait for peers that are gone.
  const ids = Array.from({ length: MAX_NODES }, (_, index) => index + 1);
  await Promise.all(
    ids.map(async (nodeId) => {
      if (await stopProcess(kafkaNodeProcess(profile, nodeId))) log(`Stopped Kafka node ${nodeId}.`);
    }),
  );
}
