import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connectionToEnvironment, type ConnectionSettings } from '@passport/config';
import { ProcessError } from '@passport/errors';
import { REPO_ROOT } from '../profile';

export interface AgencyProcessOptions {
  agencyId: string;
  /** The agency's own principal, never the admin. */
  connection: ConnectionSettings;
  port: number;
  apiKeyHash: string;
  /** The agency's CANDIDATE_REF_SECRET (at least 32 characters), passed in the environment only. */
  candidateRefSecret: string;
  logFile: string;
  /** The agency's own key store (AGENCY_KEYS_DIR); created with its first keys at first start. */
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

const MAIN = join(REPO_ROOT, 'services', 'agency', 'src', 'main.ts');

/** Starts one agency service as its own process (TypeScript run through tsx), logging to a file. */
export function spawnAgency(options: AgencyProcessOptions): AgencyProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...connectionToEnvironment(options.connection),
    AGENCY: options.agencyId,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(options.port),
    API_KEY_HASHES: options.apiKeyHash,
    CANDIDATE_REF_SECRET: options.candidateRefSecret,
    AGENCY_KEYS_DIR: options.keysDir,
    TRUST_LIST_FILE: options.trustListFile,
    // Neither given: the service itself refuses to start without a database, naming the variable.
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(!options.databaseUrl && options.sqliteFile ? { SQLITE_FILE: options.sqliteFile } : {}),
    ...(process.env.PASSPORT_AGENCIES_FILE
      ? { PASSPORT_AGENCIES_FILE: process.env.PASSPORT_AGENCIES_FILE }
      : {}),
    ...options.extraEnv,
  };
  // For profiling a service under a benchmark, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles".
  const nodeFlags = (process.env.PASSPORT_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', out, out],
  });
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
