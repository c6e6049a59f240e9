import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencies, type ConnectionSettings } from '@passport/config';
import { spawnAgency, waitUntilReady, type AgencyProcess } from '@passport/infra/system/agency-process';
import { sha256Hex } from '@passport/infra/system/api-keys';
import { agencyConnection } from './cluster';
import { createTestSchema } from './postgres';
import { testTrust } from './test-trust';

/**
 * The four agency services as separate processes against the run's cluster, each installed in a folder
 * of its own (config file, keys, SQLite file) and with a consumer group of its own for this test file.
 */
export interface AgencySystem {
  services: Record<string, AgencyProcess>;
  /** SQLite files by agency; agencies run on PostgreSQL have none. */
  dbFiles: Record<string, string>;
  apiKey: string;
  dir: string;
  call<T = unknown>(
    agencyId: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  restart(agencyId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Lets two test runs share a machine: PASSPORT_E2E_PORT_OFFSET moves every service port. */
const PORT_OFFSET = Number(process.env.PASSPORT_E2E_PORT_OFFSET ?? 0);

export async function startAgencySystem(
  basePort: number,
  options: {
    onPostgres?: string[];
    env?: Record<string, Record<string, string>>;
    /** Each agency's connection; by default its principal on the run's shared cluster. */
    connection?: (agencyId: string) => ConnectionSettings;
    /** The passport-agency script of an installed package, instead of the workspace's. */
    agencyBin?: string;
  } = {},
): Promise<AgencySystem> {
  const portBase = basePort + PORT_OFFSET;
  const dir = mkdtempSync(join(tmpdir(), 'passport-e2e-'));
  const apiKey = `e2e-${randomBytes(12).toString('hex')}`;
  const purpose = `e2e-${randomBytes(4).toString('hex')}`;
  const agencies = loadAgencies();
  const refSecrets = Object.fromEntries(agencies.map((a) => [a.id, randomBytes(32).toString('hex')]));
  const homeOf = (agencyId: string) => join(dir, 'agencies', agencyId);
  const dbFiles = Object.fromEntries(agencies.map((a) => [a.id, join(homeOf(a.id), 'agency.db')]));
  const schemas = Object.fromEntries(
    await Promise.all((options.onPostgres ?? []).map(async (id) => [id, await createTestSchema()] as const)),
  );
  const trust = await testTrust();
  const launch = (agencyId: string, index: number) =>
    spawnAgency({
      agencyId,
      connection: (options.connection ?? agencyConnection)(agencyId),
      port: portBase + index,
      apiKeyHash: sha256Hex(apiKey),
      candidateRefSecret: refSecrets[agencyId] as string,
      logFile: join(dir, `${agencyId}.log`),
      home: homeOf(agencyId),
      ...(options.agencyBin ? { bin: options.agencyBin } : {}),
      keysDir: trust.keysDirOf(agencyId),
      trustListFile: trust.trustListFile,
      ...(schemas[agencyId] ? { databaseUrl: schemas[agencyId].url } : { sqliteFile: dbFiles[agencyId] }),
      extraEnv: {
        CONSUMER_GROUP_PURPOSE: purpose,
        OUTBOX_POLL_MS: '50',
        LOG_LEVEL: 'info',
        ...options.env?.[agencyId],
      },
    });
  const services: Record<string, AgencyProcess> = Object.fromEntries(
    agencies.map((a, i) => [a.id, launch(a.id, i)]),
  );
  try {
    await Promise.all(Object.values(services).map((s) => waitUntilReady(s)));
  } catch (error) {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    const logs = agencies
      .map((a) => `--- ${a.id}\n${readFileSync(join(dir, `${a.id}.log`), 'utf8').slice(-2000)}`)
      .join('\n');
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return {
    services,
    dbFiles,
    apiKey,
    dir,
    async call(agencyId, method, path, body, headers = {}) {
      const response = await fetch(`${services[agencyId]?.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
    },
    async restart(agencyId) {
      const index = agencies.findIndex((a) => a.id === agencyId);
      services[agencyId] = launch(agencyId, index);
      await waitUntilReady(services[agencyId] as AgencyProcess);
    },
    async stop() {
      await Promise.all(Object.values(services).map((s) => s.stop()));
      await Promise.all(Object.values(schemas).map((schema) => schema.drop()));
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up; no fixed sleeps. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
