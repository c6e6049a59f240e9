import {
  connectionFromEnvironment,
  CONNECTION_VARIABLES,
  parseEnvironment,
  withConfigFile,
  type ConfigFileKeys,
  type ConnectionSettings,
  type Environment,
} from '@passport/config';
import { z } from 'zod';

const consoleEnvironment = z.object({
  /** Appended to every topic name: a rehearsal or a test can own a private copy of the exchange. */
  PASSPORT_TOPIC_SUFFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold letters, digits, ".", "_" and "-"')
    .default(''),
  /** Where `dlq redrive` appends what it republished. */
  PASSPORT_REDRIVE_LOG: z.string().min(1).optional(),
  /** The admin password of the web console (`passport console`). */
  PASSPORT_CONSOLE_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** A web console session unused this long ends. */
  PASSPORT_CONSOLE_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
  /** A web console session ends this long after sign-in, however busy. */
  PASSPORT_CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(8),
  /** The trust list records are verified against (`npm run passport` names the local profile's). */
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

/** What the console's configuration file (PASSPORT_CONFIG_FILE or a leading --config) may set. */
export const CONSOLE_CONFIG_FILE_KEYS: ConfigFileKeys = Object.freeze({
  known: new Set([...Object.keys(consoleEnvironment.shape), ...CONNECTION_VARIABLES]),
  paths: new Set([
    'PASSPORT_REDRIVE_LOG',
    'TRUST_LIST_FILE',
    'KAFKA_SSL_CA_FILE',
    'KAFKA_SSL_CERT_FILE',
    'KAFKA_SSL_KEY_FILE',
    'SCHEMA_REGISTRY_CA_FILE',
  ]),
  secrets: new Set(['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'PASSPORT_CONSOLE_PASSWORD']),
});

/**
 * Parsed once per run from the environment over the configuration file, if one is named; a bad value
 * stops the CLI with the variable named. The console knows no local cluster of its own: `npm run
 * passport` hands it the file `infra:up` writes for the profile.
 */
export function consoleConfig(processEnv: Environment = process.env): ConsoleConfig {
  const env = withConfigFile(processEnv, [], CONSOLE_CONFIG_FILE_KEYS);
  const parsed = parseEnvironment(consoleEnvironment, env);
  return Object.freeze({
    connection: connectionFromEnvironment(env),
    topicSuffix: parsed.PASSPORT_TOPIC_SUFFIX,
    redriveLog: parsed.PASSPORT_REDRIVE_LOG ?? 'redrive-log.ndjson',
    // Unset: a command that verifies signatures fails naming TRUST_LIST_FILE.
    trustListFile: parsed.TRUST_LIST_FILE ?? '',
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
