import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@passport/errors';
import { findJava } from '../install/java';
import { kafkaTlsFromEnvironment } from '@passport/config';
import { writeClientProperties, type JavaClientCredentials } from '../kafka/client-properties';
import { caCertificateFile } from '../tls/local-ca';
import { TOOLS_LOG4J2_PROPERTIES } from '../kafka/broker-config';
import { bootstrapServers, paths, profileFromEnvironment } from '../profile';
import { readPrincipalPasswords } from '../cluster-secrets';
import { KAFKA_MIN_JAVA } from '../versions';
import { KAFKA_TOOLS, type ToolInvocation } from './tools';

export interface ToolTarget {
  bootstrap: string;
  credentials: JavaClientCredentials;
  runDir: string;
  libs: string;
}

function passwordOf(invocation: ToolInvocation, env: NodeJS.ProcessEnv, principalsFile: string): string {
  const fromEnv =
    env.KAFKA_BROKERS && env.KAFKA_SASL_USERNAME === invocation.principal
      ? env.KAFKA_SASL_PASSWORD
      : undefined;
  const password =
    fromEnv ??
    (existsSync(principalsFile) ? readPrincipalPasswords(principalsFile)[invocation.principal] : undefined);
  if (!password) {
    throw new ConfigError(
      'PASSPORT_PRINCIPALS_FILE',
      `No password for principal "${invocation.principal}" in ${principalsFile}. Is the cluster up and the principal in the agency list?`,
    );
  }
  return password;
}

/**
 * Where the tool connects: KAFKA_BROKERS with the password of `--as` from PASSPORT_PRINCIPALS_FILE (or
 * KAFKA_SASL_PASSWORD for the principal named in KAFKA_SASL_USERNAME) and the TLS files of
 * KAFKA_SSL_* when set, or the client certificate alone with KAFKA_AUTH=mtls; else the local cluster,
 * trusting its CA.
 */
export function resolveTarget(invocation: ToolInvocation, env: NodeJS.ProcessEnv): ToolTarget {
  const profile = profileFromEnvironment(invocation.profile, env);
  const libs = paths.kafkaLibs(profile);
  if (!existsSync(libs))
    throw new ConfigError(
      'PASSPORT_CACHE_DIR',
      `Kafka's tools are not installed in ${libs}; run npm run infra:install first.`,
    );
  const principalsFile = env.PASSPORT_PRINCIPALS_FILE ?? paths.secrets(profile);
  const external = env.KAFKA_BROKERS ? kafkaTlsFromEnvironment(env) : undefined;
  const { principal } = invocation;
  const credentials: JavaClientCredentials =
    external?.auth === 'mtls'
      ? { principal, tls: external.ssl }
      : {
          principal,
          password: passwordOf(invocation, env, principalsFile),
          tls: external ? external.ssl : { caFile: caCertificateFile(profile) },
        };
  return {
    bootstrap: env.KAFKA_BROKERS ?? bootstrapServers(profile).join(','),
    credentials,
    runDir: paths.pids(profile),
    libs,
  };
}

/** The client properties (owner-only: they may hold a password) and the quiet log configuration. */
export function writeToolFiles(target: ToolTarget): { clientConfig: string; log4jConfig: string } {
  const clientConfig = writeClientProperties(target.runDir, target.credentials);
  mkdirSync(target.runDir, { recursive: true, mode: 0o700 });
  const log4jConfig = join(target.runDir, 'log4j2-tools.properties');
  writeFileSync(log4jConfig, TOOLS_LOG4J2_PROPERTIES);
  return { clientConfig, log4jConfig };
}

export function runKafkaTool(
  invocation: ToolInvocation,
  options: { env?: NodeJS.ProcessEnv; capture?: boolean; timeoutMs?: number } = {},
): SpawnSyncReturns<string> {
  const env = options.env ?? process.env;
  const target = resolveTarget(invocation, env);
  const java = findJava(KAFKA_MIN_JAVA, "Kafka's tools", env);
  const { clientConfig, log4jConfig } = writeToolFiles(target);
  const jvm = ['-Xmx256m', '-cp', join(target.libs, '*'), `-Dlog4j2.configurationFile=${log4jConfig}`];
  const args = [
    ...jvm,
    KAFKA_TOOLS[invocation.tool],
    '--bootstrap-server',
    target.bootstrap,
    '--command-config',
    clientConfig,
    ...invocation.toolArgs,
  ];
  return spawnSync(java.executable, args, {
    encoding: 'utf8',
    stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
}
