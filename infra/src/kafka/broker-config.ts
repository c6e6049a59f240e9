import { brokerPort, controllerPort, mtlsPort, nodeIds, paths, type InfraProfile } from '../profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from '../cluster-secrets';

const CONTROLLER_USER = 'controller';

/** JAAS values are double-quoted strings; generated passwords are base64url, but quote defensively. */
function jaasQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function replicationFactor(profile: InfraProfile): number {
  return Math.min(3, profile.nodes);
}

export function minInsyncReplicas(profile: InfraProfile): number {
  return profile.nodes >= 3 ? 2 : 1;
}

export interface ContainerNetwork {
  /** Address the client listener binds inside a container (0.0.0.0), where loopback is not reachable. */
  listenHost: string;
  /** Host port the container's client listener is published on; clients are told 127.0.0.1:<port>. */
  advertisedPort: number;
  logDir: string;
}

/** The broker's own TLS files as the broker process sees them. */
export interface BrokerTlsFiles {
  /** Private key, certificate and CA certificate in one PEM file (see issueCertificate). */
  keyStoreFile: string;
  /** The CA certificate(s) peers must chain to: other nodes, controllers, mTLS clients. */
  trustStoreFile: string;
}

/**
 * The certificate subject reads `CN=<principal>,O=...` (RFC 2253 order); its common name becomes the
 * principal, so a certificate holder meets the same ACLs as the SCRAM user of that name. Anything else
 * keeps its whole subject as the principal, which no ACL names.
 */
export const MTLS_PRINCIPAL_RULES = 'RULE:^CN=([^,]+),.*$/$1/,RULE:^CN=([^,]+)$/$1/,DEFAULT';

function tlsLines(tls: BrokerTlsFiles): string[] {
  return [
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${tls.keyStoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.trustStoreFile}`,
    // Brokers dialing controllers and each other check the host name like any client.
    'ssl.endpoint.identification.algorithm=https',
    'ssl.enabled.protocols=TLSv1.3,TLSv1.2',
    'listener.name.mtls.ssl.client.auth=required',
    `ssl.principal.mapping.rules=${MTLS_PRINCIPAL_RULES}`,
  ];
}

function listenerLines(
  profile: InfraProfile,
  nodeId: number,
  container: ContainerNetwork | undefined,
): string[] {
  const clientPort = brokerPort(profile, nodeId);
  const listenHost = container?.listenHost ?? '127.0.0.1';
  const advertisedPort = container?.advertisedPort ?? clientPort;
  const controller = `CONTROLLER://127.0.0.1:${controllerPort(profile, nodeId)}`;
  // A container publishes one port; the mTLS listener exists only on the local JVM cluster.
  const mtls = container ? [] : [`MTLS://127.0.0.1:${mtlsPort(profile, nodeId)}`];
  return [
    `listeners=${[`SASL_SSL://${listenHost}:${clientPort}`, controller, ...mtls].join(',')}`,
    `advertised.listeners=${[`SASL_SSL://127.0.0.1:${advertisedPort}`, ...mtls].join(',')}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL,MTLS:SSL',
    'inter.broker.listener.name=SASL_SSL',
    'controller.listener.names=CONTROLLER',
  ];
}

/**
 * server.properties of one combined broker+controller node. Every listener is TLS. Clients use
 * SASL/SCRAM-SHA-512 (or a client certificate on the mTLS listener); controllers talk SASL/PLAIN among
 * themselves, because SCRAM credentials live in the metadata log that the controllers must first read.
 * Nothing is allowed without an ACL.
 */
export function renderBrokerConfig(
  profile: InfraProfile,
  nodeId: number,
  secrets: ClusterSecrets,
  tls: BrokerTlsFiles,
  container?: ContainerNetwork,
): string {
  const voters = nodeIds(profile)
    .map((id) => `${id}@127.0.0.1:${controllerPort(profile, id)}`)
    .join(',');
  const adminPassword = secrets.principals[ADMIN_PRINCIPAL];
  if (!adminPassword) throw new Error('cluster secrets lack the admin principal');
  const rf = replicationFactor(profile);
  const lines = [
    'process.roles=broker,controller',
    `node.id=${nodeId}`,
    `controller.quorum.voters=${voters}`,
    ...listenerLines(profile, nodeId, container),
    ...tlsLines(tls),
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${jaasQuote(CONTROLLER_USER)} password=${jaasQuote(secrets.controller)} user_${CONTROLLER_USER}=${jaasQuote(secrets.controller)};`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasQuote(ADMIN_PRINCIPAL)} password=${jaasQuote(adminPassword)};`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${ADMIN_PRINCIPAL};User:${CONTROLLER_USER}`,
    'allow.everyone.if.no.acl.found=false',
    `log.dirs=${container?.logDir ?? `${paths.nodeDir(profile, nodeId)}/data`}`,
    'auto.create.topics.enable=false',
    `offsets.topic.replication.factor=${rf}`,
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${minInsyncReplicas(profile)}`,
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${minInsyncReplicas(profile)}`,
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${minInsyncReplicas(profile)}`,
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
  ];
  return `${lines.join('\n')}\n`;
}

/** Kafka logs through log4j2 (bridged from slf4j); without a configuration it logs nothing useful. */
export const LOG4J2_PROPERTIES = [
  'status = warn',
  'appender.console.type = Console',
  'appender.console.name = STDOUT',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.clients.name = org.apache.kafka.clients',
  'logger.clients.level = WARN',
  '',
].join('\n');

/** Kafka's tools: warnings and errors only, on stderr, so their stdout stays parseable. */
export const TOOLS_LOG4J2_PROPERTIES = [
  'status = error',
  'appender.console.type = Console',
  'appender.console.name = STDERR',
  'appender.console.target = SYSTEM_ERR',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = %p %m%n',
  'rootLogger.level = WARN',
  'rootLogger.appenderRef.stderr.ref = STDERR',
  '',
].join('\n');
