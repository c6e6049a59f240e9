import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isRegistryReachable } from '@passport/bus';
import { identityProviderUrl } from '../identity/keycloak';
import { REALM, REGISTRY_ROLES } from '../identity/realm';
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
import { paths, registryUrl, type InfraProfile } from '../profile';
import { caCertificateFile, issueCertificate, tlsDir } from '../tls/local-ca';

type Log = (line: string) => void;

export function registryProcess(profile: InfraProfile): ManagedProcess {
  return { role: 'registry', homeDir: profile.homeDir, pidDir: paths.pids(profile) };
}

/** Quarkus' management interface (health, metrics) sits beside the API; keep it off shared defaults. */
export function registryManagementPort(profile: InfraProfile): number {
  return profile.registryPort + 1000;
}

/**
 * Storage: an H2 file in the profile's folder keeps schemas and their ids across restarts; with
 * PASSPORT_REGISTRY_DATABASE_URL the registry uses PostgreSQL instead (user/password from
 * PASSPORT_REGISTRY_DATABASE_USER / _PASSWORD, default postgres with no password).
 */
function storageEnvironment(profile: InfraProfile): Record<string, string> {
  if (profile.registryDatabaseUrl) {
    return {
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: profile.registryDatabaseUrl,
      APICURIO_DATASOURCE_USERNAME: process.env.PASSPORT_REGISTRY_DATABASE_USER ?? 'postgres',
      APICURIO_DATASOURCE_PASSWORD: process.env.PASSPORT_REGISTRY_DATABASE_PASSWORD ?? '',
    };
  }
  return {
    APICURIO_STORAGE_KIND: 'sql',
    APICURIO_STORAGE_SQL_KIND: 'h2',
    APICURIO_DATASOURCE_URL: `jdbc:h2:file:${join(paths.registryData(profile), 'registry')}`,
  };
}

/**
 * Serves the API over HTTPS only, with a certificate from the profile's CA. Every call must carry a
 * token from Keycloak's `passport` realm, or a client id and secret as HTTP basic auth, which the
 * registry exchanges for a token; the token's realm roles decide what the caller may do.
 */
function securityEnvironment(profile: InfraProfile): Record<string, string> {
  const certificate = issueCertificate(profile, 'registry', 'server');
  const realm = `${identityProviderUrl(profile)}/realms/${REALM}`;
  return {
    QUARKUS_HTTP_SSL_PORT: String(profile.registryPort),
    QUARKUS_HTTP_INSECURE_REQUESTS: 'disabled',
    QUARKUS_HTTP_SSL_CERTIFICATE_FILES: certificate.certFile,
    QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES: certificate.keyFile,
    QUARKUS_OIDC_TENANT_ENABLED: 'true',
    QUARKUS_OIDC_AUTH_SERVER_URL: realm,
    QUARKUS_OIDC_TOKEN_PATH: `${realm}/protocol/openid-connect/token`,
    APICURIO_AUTHN_BASIC_CLIENT_CREDENTIALS_ENABLED: 'true',
    APICURIO_AUTH_ROLE_BASED_AUTHORIZATION: 'true',
    APICURIO_AUTH_ANONYMOUS_READ_ACCESS_ENABLED: 'false',
    APICURIO_AUTH_ROLES_ADMIN: REGISTRY_ROLES.admin,
    APICURIO_AUTH_ROLES_DEVELOPER: REGISTRY_ROLES.developer,
    APICURIO_AUTH_ROLES_READONLY: REGISTRY_ROLES.readOnly,
  };
}

/**
 * The registry's token requests to Keycloak use a plain Vert.x client that trusts only the JVM's trust
 * store, so the JVM gets one holding the profile's CA (PKCS#12: Java reads no PEM trust stores). It holds
 * a public certificate only, so its password protects nothing and is fixed.
 */
const TRUST_STORE_PASSWORD = 'passport-local-ca';

function trustStoreFlags(profile: InfraProfile, java: JavaRuntime): string[] {
  const trustStore = join(tlsDir(profile), 'registry-truststore.p12');
  rmSync(trustStore, { force: true });
  const keytool = java.executable.includes('/') ? join(dirname(java.executable), 'keytool') : 'keytool';
  execFileSync(
    keytool,
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'passport-local-ca',
      '-file',
      caCertificateFile(profile),
      '-keystore',
      trustStore,
      '-storetype',
      'PKCS12',
      '-storepass',
      TRUST_STORE_PASSWORD,
    ],
    { stdio: 'pipe' },
  );
  return [
    `-Djavax.net.ssl.trustStore=${trustStore}`,
    '-Djavax.net.ssl.trustStoreType=PKCS12',
    `-Djavax.net.ssl.trustStorePassword=${TRUST_STORE_PASSWORD}`,
  ];
}

/** Answering over HTTPS with a certificate from the profile's CA (a refusal of anonymous calls counts). */
export function isRegistryAnswering(profile: InfraProfile): Promise<boolean> {
  return isRegistryReachable({ url: registryUrl(profile), caFile: caCertificateFile(profile) });
}

export async function startRegistry(
  profile: InfraProfile,
  java: JavaRuntime,
  distribution: string,
  log: Log,
): Promise<void> {
  const proc = registryProcess(profile);
  const url = registryUrl(profile);
  const logFile = join(paths.logs(profile), 'registry.log');
  let pid = runningPid(proc);
  if (pid !== undefined) {
    log(`Schema registry already running at ${url}.`);
  } else {
    await assertPortFree(profile.registryPort, 'schema registry', 'PASSPORT_REGISTRY_PORT');
    await assertPortFree(
      registryManagementPort(profile),
      'schema registry management',
      'PASSPORT_REGISTRY_PORT',
    );
    mkdirSync(paths.registryData(profile), { recursive: true, mode: 0o700 });
    mkdirSync(paths.logs(profile), { recursive: true });
    const env = {
      ...process.env,
      ...storageEnvironment(profile),
      ...securityEnvironment(profile),
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(profile.registryPort),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(registryManagementPort(profile)),
    };
    const args = [
      '-Xms128m',
      '-Xmx512m',
      ...trustStoreFlags(profile, java),
      ...identityFlags(proc),
      '-jar',
      join(distribution, 'quarkus-run.jar'),
    ];
    pid = startDetached(proc, java.executable, args, logFile, env);
    log(`Started schema registry (Apicurio, Java ${java.major}; log: ${logFile}).`);
  }
  await waitUntil(() => isRegistryAnswering(profile), {
    what: 'Schema registry',
    timeoutMs: 90_000,
    logFile,
    pid,
  });
}

export async function stopRegistry(profile: InfraProfile, log: Log): Promise<void> {
  if (await stopProcess(registryProcess(profile))) log('Stopped schema registry.');
}
