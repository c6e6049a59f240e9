import {
  connectionFromEnvironment,
  loadAgencies,
  parseEnvironment,
  type Agency,
  type ConnectionSettings,
  type Environment,
  withConfigFile,
} from '@passport/config';
import { ConfigError } from '@passport/errors';
import type { TrustList } from '@passport/trust';
import { z } from 'zod';
import { agencyConfigFileKeys } from './config-file';
import { DEFAULT_SEALING, SEALING_MODES, type SealingMode } from './handlers/sealing/sealing-mode';
import { OUTBOX_CONFIRMATIONS, type OutboxConfirmation } from './store/outbox-confirmation';
import { retentionEnvironment, retentionPolicy, type RetentionPolicy } from './retention/policy';
import { readTrustListFile } from './trust';
import { isAllowedWebhookUrl, WEBHOOK_URL_RULE } from './webhooks/target-url';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be SHA-256 hashes in hex, comma-separated');

const serviceEnvironment = z.object({
  ...retentionEnvironment.shape,
  AGENCY: z.string({ error: 'is required (the agency id this service runs for, e.g. bwi)' }).min(1),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  DATABASE_URL: z.string().startsWith('postgres', 'must be a postgres:// or postgresql:// URL').optional(),
  SQLITE_FILE: z.string().min(1).optional(),
  PASSPORT_ALLOW_MEMORY_DATABASE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  CANDIDATE_REF_SECRET: z
    .string({ error: 'is required: a random secret of at least 32 characters, kept by this agency alone' })
    .min(32, 'must be at least 32 characters'),
  API_KEY_HASHES: z
    .string({ error: 'is required: SHA-256 hex of each back-office API key, comma-separated' })
    .transform((value) =>
      value
        .split(',')
        .map((hash) => hash.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(sha256Hex).min(1, 'needs at least one key hash')),
  AGENCY_KEYS_DIR: z
    .string({
      error:
        "is required: the owner-only directory of this agency's signing and encryption keys (created at first start)",
    })
    .min(1),
  TRUST_LIST_FILE: z
    .string({ error: "is required: the JSON trust list with every agency's public keys" })
    .min(1),
  WEBHOOK_URL: z.url().refine(isAllowedWebhookUrl, WEBHOOK_URL_RULE).optional(),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CONSUMER_GROUP_PURPOSE: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('exchange'),
  MATCHING_MODE: z.enum(['review', 'auto']).default('review'),
  SEALED_INTRODUCTIONS: z
    .enum(SEALING_MODES, {
      error:
        'must be required (the default: introductions sealed, none sent to a partner that announced no key), fallback-to-clear (clear v1 to such a partner, during a rolling upgrade) or off (no sealing: rollback)',
    })
    .default(DEFAULT_SEALING),
  MATCH_TOP_N: z.coerce.number().int().min(1).max(50).default(5),
  MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  DEADLINE_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  REMINDER_BEFORE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(48 * 3_600_000),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  // How often the certificates the broker and the registry present are read for the expiry metric.
  CERTIFICATE_CHECK_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000),
  // A sent event not read back from its topic within this is sent again; see README "Nothing accepted is lost".
  OUTBOX_CONFIRM_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  OUTBOX_UNCONFIRMED_ALERT_MS: z.coerce.number().int().min(100).max(86_400_000).default(120_000),
  // 'ack' exists to measure what verified publication costs (npm run bench e2e); it gives up the
  // guarantee that a lost event is sent again, so it is no setting for a running exchange.
  OUTBOX_CONFIRMATION: z
    .enum(OUTBOX_CONFIRMATIONS, {
      error:
        'must be echo (delivered once read back from its topic, the default) or ack (delivered once the broker acknowledges: a benchmark baseline only)',
    })
    .default('echo'),
  // kafkajs may wait this long in a fetch even when another subscribed partition has data (a known
  // kafkajs behaviour with several topics); its 5 s default put whole waits into each reply hop. 10 ms
  // costs an idle service about 100 small fetches a second; raise it where latency matters less.
  CONSUMER_MAX_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(10),
  // Restarts of a consumer kafkajs stopped for good: the defaults try for about two minutes (1 s
  // doubling to a 30 s cap) before the process exits for its supervisor to restart it.
  CONSUMER_MAX_RESTARTS: z.coerce.number().int().min(0).max(1_000).default(8),
  CONSUMER_RESTART_BACKOFF_MS: z.coerce.number().int().min(10).max(30_000).default(1_000),
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServiceConfig {
  readonly agency: Agency;
  readonly agencies: readonly Agency[];
  readonly http: { readonly host: string; readonly port: number };
  readonly database:
    { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'sqlite'; readonly file: string };
  readonly apiKeyHashes: readonly string[];
  /** Keys the candidate refs partners see, so that nobody without it can tie a ref to a company. */
  readonly candidateRefSecret: string;
  /** Where this agency's private keys live; read (and on first start created) by the service. */
  readonly keysDir: string;
  /** Every agency's public keys: what each consumed record's signature is verified against. */
  readonly trustList: TrustList;
  readonly webhook: { readonly url: string; readonly secret: string } | undefined;
  readonly consumerGroup: string;
  readonly deadlines: { readonly checkMs: number; readonly reminderBeforeMs: number };
  readonly matching: { readonly mode: 'review' | 'auto'; readonly topN: number; readonly threshold: number };
  /** SEALED_INTRODUCTIONS: whether introductions are sealed, or may fall back to clear (upgrade). */
  readonly sealing: SealingMode;
  readonly outboxPollMs: number;
  /** How often the broker's and the registry's presented certificates are read (expiry metric). */
  readonly certificateCheckMs: number;
  readonly outboxConfirmTimeoutMs: number;
  /** 'echo' unless a benchmark asks for the 'ack' baseline, which gives up verified publication. */
  readonly outboxConfirmation: OutboxConfirmation;
  /** /readyz fails once an event first sent this long ago is still not seen on its topic. */
  readonly outboxUnconfirmedAlertMs: number;
  readonly consumerMaxWaitMs: number;
  readonly consumerRestarts: { readonly max: number; readonly backoffMs: number };
  readonly handlerTimeoutMs: number;
  readonly retention: RetentionPolicy;
  readonly logLevel: string;
  readonly connection: ConnectionSettings;
}

/** Every key an agency's configuration file may set: the variable names the service reads. */
export const CONFIG_FILE_KEYS = agencyConfigFileKeys(Object.keys(serviceEnvironment.shape));

/**
 * The configuration of a started process: its `--config` file (or PASSPORT_CONFIG_FILE) under its
 * environment, so one installation holds its settings in one owner-only file and a variable still wins.
 */
export function loadProcessConfig(argv: readonly string[], env: Environment = process.env): ServiceConfig {
  return loadConfig(withConfigFile(env, argv, CONFIG_FILE_KEYS));
}

/** Parsed once at start and frozen; a bad value stops the service with the variable named. */
export function loadConfig(env: Environment = process.env): ServiceConfig {
  const parsed = parseEnvironment(serviceEnvironment, env);
  const agencies = loadAgencies(env.PASSPORT_AGENCIES_FILE);
  const agency = agencies.find((candidate) => candidate.id === parsed.AGENCY);
  if (!agency) {
    throw new ConfigError(
      'AGENCY',
      `Environment variable AGENCY is invalid: not in the agency list (${agencies.map((a) => a.id).join(', ')}).`,
    );
  }
  if ((parsed.WEBHOOK_URL === undefined) !== (parsed.WEBHOOK_SECRET === undefined)) {
    throw new ConfigError(
      parsed.WEBHOOK_URL ? 'WEBHOOK_SECRET' : 'WEBHOOK_URL',
      'WEBHOOK_URL and WEBHOOK_SECRET go together: set both or neither.',
    );
  }
  if (parsed.OUTBOX_UNCONFIRMED_ALERT_MS <= parsed.OUTBOX_CONFIRM_TIMEOUT_MS) {
    throw new ConfigError(
      'OUTBOX_UNCONFIRMED_ALERT_MS',
      `Environment variable OUTBOX_UNCONFIRMED_ALERT_MS is invalid: it must exceed OUTBOX_CONFIRM_TIMEOUT_MS (${parsed.OUTBOX_CONFIRM_TIMEOUT_MS}), or the alert fires before a lost event is ever sent again.`,
    );
  }
  return Object.freeze({
    agency,
    agencies,
    http: Object.freeze({ host: parsed.HTTP_HOST, port: parsed.HTTP_PORT }),
    database: Object.freeze(databaseOf(parsed)),
    apiKeyHashes: Object.freeze([...parsed.API_KEY_HASHES]),
    candidateRefSecret: parsed.CANDIDATE_REF_SECRET,
    keysDir: parsed.AGENCY_KEYS_DIR,
    trustList: readTrustListFile(parsed.TRUST_LIST_FILE),
    webhook:
      parsed.WEBHOOK_URL && parsed.WEBHOOK_SECRET
        ? Object.freeze({ url: parsed.WEBHOOK_URL, secret: parsed.WEBHOOK_SECRET })
        : undefined,
    consumerGroup: `${agency.id}.${parsed.CONSUMER_GROUP_PURPOSE}`,
    deadlines: Object.freeze({
      checkMs: parsed.DEADLINE_CHECK_MS,
      reminderBeforeMs: parsed.REMINDER_BEFORE_MS,
    }),
    matching: Object.freeze({
      mode: parsed.MATCHING_MODE,
      topN: parsed.MATCH_TOP_N,
      threshold: parsed.MATCH_THRESHOLD,
    }),
    sealing: parsed.SEALED_INTRODUCTIONS,
    outboxPollMs: parsed.OUTBOX_POLL_MS,
    certificateCheckMs: parsed.CERTIFICATE_CHECK_MS,
    outboxConfirmTimeoutMs: parsed.OUTBOX_CONFIRM_TIMEOUT_MS,
    outboxConfirmation: parsed.OUTBOX_CONFIRMATION,
    outboxUnconfirmedAlertMs: parsed.OUTBOX_UNCONFIRMED_ALERT_MS,
    consumerMaxWaitMs: parsed.CONSUMER_MAX_WAIT_MS,
    consumerRestarts: Object.freeze({
      max: parsed.CONSUMER_MAX_RESTARTS,
      backoffMs: parsed.CONSUMER_RESTART_BACKOFF_MS,
    }),
    handlerTimeoutMs: parsed.HANDLER_TIMEOUT_MS,
    retention: retentionPolicy(parsed),
    logLevel: parsed.LOG_LEVEL,
    connection: connectionFromEnvironment(env),
  });
}

/**
 * A service keeps what it accepted and what it consumed (offsets already committed) in its database, so
 * an in-memory one would lose both at a restart: only tests may ask for it, and only explicitly.
 */
function databaseOf(parsed: z.infer<typeof serviceEnvironment>): ServiceConfig['database'] {
  if (parsed.DATABASE_URL) return { kind: 'postgres', url: parsed.DATABASE_URL };
  const memoryAllowed = parsed.PASSPORT_ALLOW_MEMORY_DATABASE === '1';
  const file = parsed.SQLITE_FILE ?? (memoryAllowed ? ':memory:' : undefined);
  if (file === undefined || (file === ':memory:' && !memoryAllowed)) {
    throw new ConfigError(
      'SQLITE_FILE',
      'Environment variable SQLITE_FILE is invalid: a database is required, SQLITE_FILE (a file path) or DATABASE_URL; an in-memory database loses accepted requests at a restart (PASSPORT_ALLOW_MEMORY_DATABASE=1 allows it for tests).',
    );
  }
  return { kind: 'sqlite', file };
}
