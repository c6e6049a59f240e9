import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { httpCall } from '@passport/bus';
import type { ClusterSecrets } from '../cluster-secrets';
import type { JavaRuntime } from '../install/java';
import {
  assertPortFree,
  identityFlags,
  runningPid,
  startDetached,
  stopProcess,
  waitUntil,
  type ManagedProcess,
} from '../processes';
import { identityProviderManagementPort, identityProviderPort, paths, type InfraProfile } from '../profile';
import { caCertificateFile, issueCertificate } from '../tls/local-ca';

type Log = (line: string) => void;

/** The master-realm client Keycloak creates at its first start; provisioning signs in with it. */
export const BOOTSTRAP_CLIENT_ID = 'passport-bootstrap';

export function identityProviderProcess(profile: InfraProfile): ManagedProcess {
  return { role: 'keycloak', homeDir: profile.homeDir, pidDir: paths.pids(profile) };
}

export function identityProviderUrl(profile: InfraProfile): string {
  return `https://127.0.0.1:${identityProviderPort(profile)}`;
}

/** Ready means bootstrapped: before that Keycloak answers every request with 503. */
export async function isIdentityProviderReady(profile: InfraProfile): Promise<boolean> {
  try {
    const url = `https://127.0.0.1:${identityProviderManagementPort(profile)}/health/ready`;
    const { status } = await httpCall(url, { caFile: caCertificateFile(profile), timeoutMs: 2_000 });
    return status === 200;
  } catch {
    return false;
  }
}

/**
 * The JVM command line kc.sh would build, run directly so the pid we keep is Java's own and carries our
 * identity flags (kc.sh stays in front of Java as a shell and would not pass SIGKILL on).
 */
function javaArguments(profile: InfraProfile, distribution: string): string[] {
  const certificate = issueCertificate(profile, 'keycloak', 'server');
  const port = identityProviderPort(profile);
  const data = paths.keycloakData(profile);
  return [
    '-Xms64m',
    '-Xmx512m',
    '-XX:MaxMetaspaceSize=256m',
    // One-shot local use: the small collector and C1 start faster on shared cores than the defaults.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
    '--add-opens=java.base/java.security=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--enable-native-access=ALL-UNNAMED',
    ...identityFlags(identityProviderProcess(profile)),
    `-Dkc.home.dir=${distribution}`,
    `-Djboss.server.config.dir=${join(distribution, 'conf')}`,
    '-Djava.util.logging.manager=org.jboss.logmanager.LogManager',
    '-Dpicocli.disable.closures=true',
    // Keycloak's scratch files go to the profile, not the distribution shared by every profile.
    `-Djava.io.tmpdir=${join(data, 'tmp')}`,
    `-Dquarkus.transaction-manager.object-store.directory=${join(data, 'transaction-logs')}`,
    '-cp',
    join(distribution, 'lib', 'quarkus-run.jar'),
    'io.quarkus.bootstrap.runner.QuarkusEntryPoint',
    'start',
    '--optimized',
    '--http-enabled=false',
    '--http-host=127.0.0.1',
    `--https-port=${port}`,
    `--https-certificate-file=${certificate.certFile}`,
    `--https-certificate-key-file=${certificate.keyFile}`,
    `--hostname=https://127.0.0.1:${port}`,
    `--http-management-port=${identityProviderManagementPort(profile)}`,
    // A single node: the default clustered cache opens JGroups ports on every interface.
    '--cache=local',
    // H2 treats VALUE as a keyword; Keycloak's schema uses it as a column name.
    `--db-url=jdbc:h2:file:${join(data, 'keycloakdb')};NON_KEYWORDS=VALUE`,
  ];
}

/** Starts Keycloak for the profile (unless it runs) and waits until it has bootstrapped. */
export async function startIdentityProvider(
  profile: InfraProfile,
  java: JavaRuntime,
  distribution: string,
  secrets: ClusterSecrets,
  log: Log,
): Promise<void> {
  const proc = identityProviderProcess(profile);
  const logFile = join(paths.logs(profile), 'keycloak.log');
  let pid = runningPid(proc);
  const startedAt = Date.now();
  if (pid !== undefined) {
    log(`Identity provider (Keycloak) already running at ${identityProviderUrl(profile)}.`);
  } else {
    await assertPortFree(identityProviderPort(profile), 'Keycloak', 'PASSPORT_REGISTRY_PORT');
    await assertPortFree(
      identityProviderManagementPort(profile),
      'Keycloak management',
      'PASSPORT_REGISTRY_PORT',
    );
    mkdirSync(join(paths.keycloakData(profile), 'tmp'), { recursive: true, mode: 0o700 });
    mkdirSync(paths.logs(profile), { recursive: true });
    const env = {
      ...process.env,
      // Read only when the master realm is first created; later starts ignore them.
      KC_BOOTSTRAP_ADMIN_CLIENT_ID: BOOTSTRAP_CLIENT_ID,
      KC_BOOTSTRAP_ADMIN_CLIENT_SECRET: secrets.identityProviderAdmin ?? '',
    };
    pid = startDetached(proc, java.executable, javaArguments(profile, distribution), logFile, env);
    log(`Started identity provider (Keycloak, Java ${java.major}; log: ${logFile}).`);
  }
  await waitUntil(() => isIdentityProviderReady(profile), {
    what: 'Keycloak',
    timeoutMs: 180_000,
    logFile,
    pid,
  });
  log(
    `Identity provider ready at ${identityProviderUrl(profile)} (${((Date.now() - startedAt) / 1000).toFixed(1)} s).`,
  );
}

export async function stopIdentityProvider(profile: InfraProfile, log: Log): Promise<void> {
  if (await stopProcess(identityProviderProcess(profile))) log('Stopped identity provider (Keycloak).');
}
