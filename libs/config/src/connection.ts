import { z } from 'zod';
import { parseEnvironment, type Environment } from './env';
import {
  tlsEnvironmentShape,
  tlsProblems,
  tlsSettings,
  tlsToEnvironment,
  type KafkaTlsSettings,
} from './kafka-tls';

const hostPort = z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'each broker must be host:port');

const connectionEnvironment = z
  .object({
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
    KAFKA_SASL_USERNAME: z.string().min(1, 'must not be empty').optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1, 'must not be empty').optional(),
    ...tlsEnvironmentShape,
  })
  .superRefine((parsed, context) => {
    const problems = tlsProblems(parsed);
    if (parsed.KAFKA_AUTH === 'sasl') {
      // With a client certificate the broker takes the principal from it; otherwise SASL names it.
      for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!parsed[variable]) problems.push({ variable, message: 'is required unless KAFKA_AUTH=mtls' });
      }
      if (parsed.KAFKA_SASL_MECHANISM === 'plain' && parsed.KAFKA_SSL === 'false') {
        problems.push({
          variable: 'KAFKA_SASL_MECHANISM',
          message:
            'is plain while KAFKA_SSL=false: the password would cross the network in clear; use scram-sha-512 or TLS',
        });
      }
    }
    for (const { variable, message } of problems)
      context.addIssue({ code: 'custom', path: [variable], message });
  });

export interface SaslSettings {
  readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  readonly username: string;
  readonly password: string;
}

/** Hosts for which plain HTTP never leaves the machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const registryEnvironment = z.object({
  SCHEMA_REGISTRY_URL: z
    .url({ error: 'must be an http(s) URL such as https://127.0.0.1:18081/apis/ccompat/v7' })
    .refine(
      (url) => {
        // zod runs refinements even after the URL format failed: that failure is the one reported.
        if (!URL.canParse(url)) return true;
        const { protocol, hostname } = new URL(url);
        return protocol === 'https:' || (protocol === 'http:' && LOOPBACK_HOSTS.has(hostname));
      },
      {
        error:
          'must be https:// (plain http only to this machine: 127.0.0.1, localhost, ::1), or the registry credentials and schemas would cross the network unprotected',
      },
    ),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
  /** PEM CA the registry's HTTPS certificate must chain to; the broker's CA when not given. */
  SCHEMA_REGISTRY_CA_FILE: z.string().min(1, 'must not be empty').optional(),
  KAFKA_SSL_CA_FILE: z.string().min(1, 'must not be empty').optional(),
});

/** How to reach the schema registry: its URL, the client's identity-provider credentials, and its CA. */
export interface RegistrySettings {
  readonly url: string;
  /** Client id at the identity provider (sent as HTTP basic auth; the registry exchanges it for a token). */
  readonly username?: string;
  readonly password?: string;
  /** PEM file of the CA that signed the registry's certificate; the system's CAs when absent. */
  readonly caFile?: string;
}

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
  /** Absent when the principal authenticates with its client certificate (KAFKA_AUTH=mtls). */
  readonly sasl?: SaslSettings;
  readonly ssl: KafkaTlsSettings;
  readonly registry: RegistrySettings;
}

/** Reads how to reach the schema registry, and as whom, from the environment. */
export function registryFromEnvironment(env: Environment = process.env): RegistrySettings {
  const parsed = parseEnvironment(registryEnvironment, env);
  const caFile = parsed.SCHEMA_REGISTRY_CA_FILE ?? parsed.KAFKA_SSL_CA_FILE;
  return Object.freeze({
    url: parsed.SCHEMA_REGISTRY_URL,
    ...(parsed.SCHEMA_REGISTRY_USERNAME ? { username: parsed.SCHEMA_REGISTRY_USERNAME } : {}),
    ...(parsed.SCHEMA_REGISTRY_PASSWORD ? { password: parsed.SCHEMA_REGISTRY_PASSWORD } : {}),
    ...(caFile ? { caFile } : {}),
  });
}

/** A connection whose principal logs in with a password: what `asPrincipal` makes. */
export type SaslConnectionSettings = ConnectionSettings & { readonly sasl: SaslSettings };

/** Reads how to reach the broker and the registry from the environment (see README, "External cluster"). */
export function connectionFromEnvironment(env: Environment = process.env): ConnectionSettings {
  const parsed = parseEnvironment(connectionEnvironment, env);
  const sasl =
    parsed.KAFKA_AUTH === 'sasl'
      ? {
          sasl: Object.freeze({
            mechanism: parsed.KAFKA_SASL_MECHANISM,
            username: parsed.KAFKA_SASL_USERNAME ?? '',
            password: parsed.KAFKA_SASL_PASSWORD ?? '',
          }),
        }
      : {};
  return Object.freeze({
    brokers: Object.freeze([...parsed.KAFKA_BROKERS]),
    ...sasl,
    ssl: tlsSettings(parsed),
    registry: registryFromEnvironment(env),
  });
}

/** The environment variables that describe `settings`, for handing a connection to a child process. */
export function connectionToEnvironment(settings: ConnectionSettings): Record<string, string> {
  const { sasl } = settings;
  return {
    KAFKA_BROKERS: settings.brokers.join(','),
    ...(sasl
      ? {
          KAFKA_SASL_MECHANISM: sasl.mechanism,
          KAFKA_SASL_USERNAME: sasl.username,
          KAFKA_SASL_PASSWORD: sasl.password,
        }
      : {}),
    ...tlsToEnvironment(settings.ssl, sasl ? 'sasl' : 'mtls'),
    SCHEMA_REGISTRY_URL: settings.registry.url,
    ...(settings.registry.username ? { SCHEMA_REGISTRY_USERNAME: settings.registry.username } : {}),
    ...(settings.registry.password ? { SCHEMA_REGISTRY_PASSWORD: settings.registry.password } : {}),
    ...(settings.registry.caFile ? { SCHEMA_REGISTRY_CA_FILE: settings.registry.caFile } : {}),
  };
}
