import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

export async function isRegistryAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
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
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(profile.registryPort),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(registryManagementPort(profile)),
    };
    const args = [
      '-Xms128m',
      '-Xmx512m',
      ...identityFlags(proc),
      '-jar',
      join(distribution, 'quarkus-run.jar'),
    ];
    pid = startDetached(proc, java.executable, args, logFile, env);
    log(`Started schema registry (Apicurio, Java ${java.major}; log: ${logFile}).`);
  }
  await waitUntil(() => isRegistryAnswering(url), {
    what: 'Schema registry',
    timeoutMs: 90_000,
    logFile,
    pid,
  });
}

export async function stopRegistry(profile: InfraProfile, log: Log): Promise<void> {
  if (await stopProcess(registryProcess(profile))) log('Stopped schema registry.');
}
