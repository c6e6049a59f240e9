import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE_KEYS } from '@passport/agency-service/config';
import { connectionToEnvironment, type ConnectionSettings } from '@passport/config';
import { ProcessError } from '@passport/errors';
import { INSTALLATION_CONFIG_FILE, writeAgencyInstallation } from './agency-installation';

export interface AgencyProcessOptions {
  agencyId: string;
  /** The agency's own principal, never the admin. */
  connection: ConnectionSettings;
  port: number;
  apiKeyHash: string;
  /** The agency's CANDIDATE_REF_SECRET (at least 32 characters), written to its config file only. */
  candidateRefSecret: string;
  logFile: string;
  /**
   * The agency's installation folder (config file, keys, database, received public files); by default
   * agencies/<id> beside the log file.
   */
  home?: string;
  /** The passport-agency script to run: by default the workspace package's; a test names an installed one. */
  bin?: string;
  /** The agency's key store, copied into its installation at the first start (its AGENCY_KEYS_DIR). */
  keysDir: string;
  /** The trust list with every agency's public keys (TRUST_LIST_FILE). */
  trustListFile: string;
  sqliteFile?: string;
  databaseUrl?: string;
  extraEnv?: Record<string, string>;
}

export interface AgencyProcess {
  agencyId: string;
  url: string;
  child: ChildProcess;
  /** SIGTERM and wait for a clean exit (the service finishes its batch and disconnects). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The installed package's own start script, as an operator's `passport-agency` runs it. */
const AGENCY_BIN = join(
  dirname(require.resolve('@passport/agency-service/package.json')),
  'bin',
  'passport-agency.js',
);

/**
 * Starts one agency service as its own process from its own installation folder: the package's bin,
 * run in that folder with its config file, and an environment holding no secret (PATH, HOME and the
 * file's path). Settings a test adds that the service does not read stay in the environment.
 */
export function spawnAgency(options: AgencyProcessOptions): AgencyProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const home = options.home ?? join(dirname(options.logFile), 'agencies', options.agencyId);
  const { settings, otherEnv } = splitSettings(agencySettings(options));
  const configFile = writeAgencyInstallation(home, settings, options.keysDir);
  const out = openSync(options.logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...otherEnv,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PASSPORT_CONFIG_FILE: configFile,
  };
  // For profiling a service under a benchmark, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles".
  const nodeFlags = (process.env.PASSPORT_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeFlags, options.bin ?? AGENCY_BIN, '--config', INSTALLATION_CONFIG_FILE],
    {
      cwd: home,
      env,
      stdio: ['ignore', out, out],
    },
  );
  const exited = new Promise<number | null>((resolvePromise) =>
    child.once('exit', (code) => resolvePromise(code)),
  );
  return {
    agencyId: options.agencyId,
    url: `http://127.0.0.1:${options.port}`,
    child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Waits until /readyz says broker, registry and database answer and the consumer is in its group. */
export async function waitUntilReady(service: AgencyProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new ProcessError(
        'PASSPORT_PROCESS_FAILED',
        `agency service ${service.agencyId} exited with code ${service.child.exitCode}`,
      );
    }
    try {
      const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  throw new ProcessError(
    'PASSPORT_STARTUP_TIMEOUT',
    `agency service ${service.agencyId} was not ready within ${timeoutMs / 1000}s`,
  );
}

/** Everything the service is told, under the variable names it reads. */
function agencySettings(options: AgencyProcessOptions): Record<string, string> {
  return {
    ...connectionToEnvironment(options.connection),
    AGENCY: options.agencyId,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(options.port),
    API_KEY_HASHES: options.apiKeyHash,
    CANDIDATE_REF_SECRET: options.candidateRefSecret,
    TRUST_LIST_FILE: options.trustListFile,
    // Neither given: the service itself refuses to start without a database, naming the variable.
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(!options.databaseUrl && options.sqliteFile ? { SQLITE_FILE: options.sqliteFile } : {}),
    ...(process.env.PASSPORT_AGENCIES_FILE
      ? { PASSPORT_AGENCIES_FILE: process.env.PASSPORT_AGENCIES_FILE }
      : {}),
    ...options.extraEnv,
  };
}

function splitSettings(all: Record<string, string>): {
  settings: Record<string, string>;
  otherEnv: Record<string, string>;
} {
  const settings: Record<string, string> = {};
  const otherEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    (CONFIG_FILE_KEYS.known.has(key) ? settings : otherEnv)[key] = value;
  }
  return { settings, otherEnv };
}
