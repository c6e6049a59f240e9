import { z } from 'zod';
import { parseEnvironment, type Environment } from './env';

const hostPort = z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'each broker must be host:port');

const connectionEnvironment = z.object({
  KAFKA_BROKERS: z
    .string({ error: 'is required (comma-separated host:port list)' })
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    )
    .pipe(z.array(hostPort).min(1, 'needs at least one host:port')),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).default('scram-sha-512'),
  KAFKA_SASL_USERNAME: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  KAFKA_SASL_PASSWORD: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  KAFKA_SSL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  SCHEMA_REGISTRY_URL: z.url({
    error: 'must be an http(s) URL such as http://127.0.0.1:18081/apis/ccompat/v7',
  }),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
});

/** Every variable a connection may be described by (the TLS ones as agreed for issue 16): what a
 * program's configuration file may set for its connection. */
export const CONNECTION_VARIABLES = [
  'KAFKA_BROKERS',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_AUTH',
  'SCHEMA_REGISTRY_URL',
  'SCHEMA_REGISTRY_USERNAME',
  'SCHEMA_REGISTRY_PASSWORD',
  'SCHEMA_REGISTRY_CA_FILE',
] as const;

export interface ConnectionSettings {
  readonly brokers: readonly string[];
  readonly sasl: {
    readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
    readonly username: string;
    readonly password: string;
  };
  readonly ssl: boolean;
  readonly registry: { readonly url: string; readonly username?: string; readonly password?: string };
}

/** Reads how to reach the broker and the registry from the environment (see README, "External cluster"). */
export function connectionFromEnvironment(env: Environment = process.env): ConnectionSettings {
  const parsed = parseEnvironment(connectionEnvironment, env);
  return Object.freeze({
    brokers: Object.freeze([...parsed.KAFKA_BROKERS]),
    sasl: Object.freeze({
      mechanism: parsed.KAFKA_SASL_MECHANISM,
      username: parsed.KAFKA_SASL_USERNAME,
      password: parsed.KAFKA_SASL_PASSWORD,
    }),
    ssl: parsed.KAFKA_SSL,
    registry: Object.freeze({
      url: parsed.SCHEMA_REGISTRY_URL,
      ...(parsed.SCHEMA_REGISTRY_USERNAME ? { username: parsed.SCHEMA_REGISTRY_USERNAME } : {}),
      ...(parsed.SCHEMA_REGISTRY_PASSWORD ? { password: parsed.SCHEMA_REGISTRY_PASSWORD } : {}),
    }),
  });
}

/** The environment variables that describe `settings`, for handing a connection to a child process. */
export function connectionToEnvironment(settings: ConnectionSettings): Record<string, string> {
  return {
    KAFKA_BROKERS: settings.brokers.join(','),
    KAFKA_SASL_MECHANISM: settings.sasl.mechanism,
    KAFKA_SASL_USERNAME: settings.sasl.username,
    KAFKA_SASL_PASSWORD: settings.sasl.password,
    KAFKA_SSL: String(settings.ssl),
    SCHEMA_REGISTRY_URL: settings.registry.url,
    ...(settings.registry.username ? { SCHEMA_REGISTRY_USERNAME: settings.registry.username } : {}),
    ...(settings.registry.password ? { SCHEMA_REGISTRY_PASSWORD: settings.registry.password } : {}),
  };
}
