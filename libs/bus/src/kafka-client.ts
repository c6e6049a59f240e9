import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { ConnectionSettings, SaslConnectionSettings } from '@passport/config';
import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';

export interface KafkaClientOptions {
  clientId: string;
  /** kafkajs logs at WARN by default; tests and CLIs pass NOTHING to keep their output clean. */
  logLevel?: logLevel;
  /** Where kafkajs log entries go; its console logger by default. */
  logCreator?: logCreator;
  connectionTimeoutMs?: number;
  retries?: number;
}

function saslOptions(settings: ConnectionSettings): { sasl?: SASLOptions } {
  if (!settings.sasl) return {};
  const { mechanism, username, password } = settings.sasl;
  return { sasl: { mechanism, username, password } as SASLOptions };
}

/**
 * Node's TLS options from the files named in the settings, read once per client. Node checks the
 * broker's certificate against the CA and the dialed host (an IP against the certificate's IP names),
 * so nothing here turns verification off.
 */
export function tlsOptions(settings: ConnectionSettings): ConnectionOptions | false {
  const { ssl } = settings;
  if (!ssl) return false;
  return {
    ...(ssl.caFile ? { ca: [readFileSync(ssl.caFile, 'utf8')] } : {}),
    ...(ssl.certFile ? { cert: readFileSync(ssl.certFile, 'utf8') } : {}),
    ...(ssl.keyFile ? { key: readFileSync(ssl.keyFile, 'utf8') } : {}),
  };
}

/** The kafkajs configuration for one principal, for callers that must adjust it before connecting. */
export function kafkaConfig(settings: ConnectionSettings, options: KafkaClientOptions): KafkaConfig {
  return {
    clientId: options.clientId,
    brokers: [...settings.brokers],
    ssl: tlsOptions(settings),
    ...saslOptions(settings),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    logLevel: options.logLevel ?? logLevel.WARN,
    ...(options.logCreator ? { logCreator: options.logCreator } : {}),
    retry: { retries: options.retries ?? 5, initialRetryTime: 200 },
  };
}

/** One kafkajs client for one principal. Producers, consumers and admins are created from it. */
export function createKafka(settings: ConnectionSettings, options: KafkaClientOptions): Kafka {
  return new Kafka(kafkaConfig(settings, options));
}

/**
 * The same cluster reached as another principal (e.g. an agency instead of the admin), with its
 * password. The CA stays; a client certificate and key do not: they are the first principal's
 * identity, and whoever is handed these settings (an agency's installation) must never hold them.
 */
export function asPrincipal(
  settings: ConnectionSettings,
  username: string,
  password: string,
): SaslConnectionSettings {
  const mechanism = settings.sasl?.mechanism ?? 'scram-sha-512';
  const ssl = settings.ssl && Object.freeze(settings.ssl.caFile ? { caFile: settings.ssl.caFile } : {});
  return Object.freeze({ ...settings, ssl, sasl: Object.freeze({ mechanism, username, password }) });
}
