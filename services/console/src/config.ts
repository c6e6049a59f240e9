import { join } from 'node:path';
import {
  connectionFromEnvironment,
  parseEnvironment,
  type ConnectionSettings,
  type Environment,
} from '@passport/config';
import { z } from 'zod';
import { localConnection } from '../../../infra/src/local-connection';
import { paths, profileFromEnvironment } from '../../../infra/src/profile';
import { readSecrets } from '../../../infra/src/cluster-secrets';

const consoleEnvironment = z.object({
  /** Appended to every topic name: a rehearsal or a test can own a private copy of the exchange. */
  PASSPORT_TOPIC_SUFFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold letters, digits, ".", "_" and "-"')
    .default(''),
  /** Where `dlq redrive` appends what it republished. */
  PASSPORT_REDRIVE_LOG: z.string().min(1).optional(),
  /** Without KAFKA_BROKERS, the local cluster of this profile (npm run infra:up) as its admin. */
  PASSPORT_PROFILE: z.enum(['dev', 'test']).default('dev'),
  /** The admin password of the web console (`passport console`). */
  PASSPORT_CONSOLE_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** A web console session unused this long ends. */
  PASSPORT_CONSOLE_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
  /** A web console session ends this long after sign-in, however busy. */
  PASSPORT_CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(8),
  /** The trust list records are verified against; default: the one `npm start` writes for the profile. */
  TRUST_LIST_FILE: z.string().min(1).optional(),
});

export interface ConsoleConfig {
  readonly connection: ConnectionSettings;
  readonly topicSuffix: string;
  readonly redriveLog: string;
  /** Read only by the commands that verify signatures (tail, trace, verify, import). */
  readonly trustListFile: string;
  readonly consolePassword: string | undefined;
  readonly consoleSessions: { readonly idleMs: number; readonly absoluteMs: number };
}

/** Parsed once per run; a bad value stops the CLI with the variable named. */
export function consoleConfig(env: Environment = process.env): ConsoleConfig {
  const parsed = parseEnvironment(consoleEnvironment, env);
  const profile = profileFromEnvironment(parsed.PASSPORT_PROFILE, env);
  const connection = env.KAFKA_BROKERS
    ? connectionFromEnvironment(env)
    : localConnection(profile, readSecrets(paths.secrets(profile)));
  return Object.freeze({
    connection,
    topicSuffix: parsed.PASSPORT_TOPIC_SUFFIX,
    redriveLog: parsed.PASSPORT_REDRIVE_LOG ?? join(profile.cacheDir, 'redrive-log.ndjson'),
    trustListFile: parsed.TRUST_LIST_FILE ?? join(profile.homeDir, 'trust-list.json'),
    consolePassword: parsed.PASSPORT_CONSOLE_PASSWORD,
    consoleSessions: Object.freeze({
      idleMs: parsed.PASSPORT_CONSOLE_IDLE_MINUTES * 60_000,
      absoluteMs: parsed.PASSPORT_CONSOLE_SESSION_HOURS * 3_600_000,
    }),
  });
}

/**
 * For commands that read only local files (`evidence verify`): an auditor's machine has no cluster.
 * The connection names no reachable host, and such a command never opens a client.
 */
export function offlineConsoleConfig(): ConsoleConfig {
  return Object.freeze({
    connection: Object.freeze({
      brokers: Object.freeze(['offline.invalid:9092']),
      sasl: Object.freeze({ mechanism: 'scram-sha-512' as const, username: 'offline', password: 'offline' }),
      ssl: false,
      registry: Object.freeze({ url: 'http://offline.invalid' }),
    }),
    topicSuffix: '',
    redriveLog: '',
    // Offline commands name their own files; a lookup of this one fails naming TRUST_LIST_FILE.
    trustListFile: '',
    consolePassword: undefined,
    consoleSessions: Object.freeze({ idleMs: 0, absoluteMs: 0 }),
  });
}
