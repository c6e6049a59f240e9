import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agency } from '@passport/config';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { renderBrokerConfig, type BrokerTlsFiles } from '../kafka/broker-config';
import { brokerTlsFiles } from '../kafka/cluster';
import { localConnection } from '../local-connection';
import type { InfraProfile } from '../profile';
import { provision } from '../provision';
import { ADMIN_PRINCIPAL, ensureSecrets } from '../cluster-secrets';
import { APICURIO_VERSION, KAFKA_VERSION } from '../versions';
import type { RunningCluster } from './running-cluster';

const CONTAINER_CONFIG = '/opt/passport/server.properties';
const CONTAINER_FORMAT_ARGS = '/opt/passport/format.args';
/** The broker certificate issued on the host (for 127.0.0.1, the published port) and the CA, inside. */
const CONTAINER_TLS: BrokerTlsFiles = {
  keyStoreFile: '/opt/passport/tls/kafka-broker.keystore.pem',
  trustStoreFile: '/opt/passport/tls/ca.pem',
};

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The container path for machines with Docker: the official apache/kafka and Apicurio images, configured
 * exactly like the local JVM cluster (same server.properties, SCRAM users created at format time).
 */
export async function startContainers(
  agencies: readonly Agency[],
  log: (line: string) => void,
): Promise<RunningCluster> {
  const workDir = mkdtempSync(join(tmpdir(), 'passport-containers-'));
  const hostPort = await freePort();
  const profile: InfraProfile = {
    name: 'test',
    cacheDir: workDir,
    homeDir: workDir,
    nodes: 1,
    brokerPortBase: 9092,
    registryPort: 8080,
  };
  const { secrets } = ensureSecrets(join(workDir, 'secrets.json'), [
    ADMIN_PRINCIPAL,
    ...agencies.map((a) => a.id),
  ]);
  const tls = brokerTlsFiles(profile);
  const config = renderBrokerConfig(profile, 1, secrets, CONTAINER_TLS, {
    listenHost: '0.0.0.0',
    advertisedPort: hostPort,
    logDir: '/tmp/kafka-data',
  });
  const clusterId = randomBytes(16).toString('base64url');
  // Container processes show in the host's `ps`: the SCRAM passwords reach the storage tool through a
  // Java argument file inside the container, never through a command line.
  const formatArgs = [
    'kafka.tools.StorageTool',
    'format',
    `--cluster-id=${clusterId}`,
    '-c',
    CONTAINER_CONFIG,
    ...Object.entries(secrets.principals).flatMap(([name, password]) => [
      '--add-scram',
      `SCRAM-SHA-512=[name=${name},password=${password}]`,
    ]),
  ]
    .map((arg) => `"${arg}"`)
    .join('\n');
  log(
    `Starting apache/kafka:${KAFKA_VERSION} and apicurio/apicurio-registry:${APICURIO_VERSION} containers…`,
  );
  const kafka: StartedTestContainer = await new GenericContainer(`apache/kafka:${KAFKA_VERSION}`)
    .withCopyContentToContainer([
      { content: config, target: CONTAINER_CONFIG },
      { content: `${formatArgs}\n`, target: CONTAINER_FORMAT_ARGS },
      // Copied like the format arguments: the container's only user is Kafka's own.
      { content: readFileSync(tls.keyStoreFile, 'utf8'), target: CONTAINER_TLS.keyStoreFile },
      { content: readFileSync(tls.trustStoreFile, 'utf8'), target: CONTAINER_TLS.trustStoreFile },
    ])
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEntrypoint(['sh', '-c'])
    .withCommand([
      `java -cp '/opt/kafka/libs/*' @${CONTAINER_FORMAT_ARGS} && exec /opt/kafka/bin/kafka-server-start.sh ${CONTAINER_CONFIG}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new GenericContainer(`apicurio/apicurio-registry:${APICURIO_VERSION}`)
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  const base = localConnection(profile, secrets);
  const connection = Object.freeze({
    ...base,
    brokers: [`127.0.0.1:${hostPort}`],
    // The container's registry is the open development image: plain HTTP, no identity provider.
    registry: { url: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7` },
  });
  await provision(connection, agencies, { replicationFactor: 1, minInsyncReplicas: 1, brokers: 1 }, log);
  return {
    kind: 'testcontainers',
    connection,
    principalsFile: join(workDir, 'secrets.json'),
    async stop() {
      await Promise.all([kafka.stop(), registry.stop()]);
    },
  };
}
