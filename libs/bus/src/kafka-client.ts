import type { ConnectionSettings } from '@passport/config';
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

function saslOptions(settings: ConnectionSettings): SASLOptions {
  const { mechanism, username, password } = settings.sasl;
  return { mechanism, username, password } as SASLOptions;
}

/** One kafkajs client for one principal. Producers, consumers and admins are created from it. */
export function createKafka(settings: ConnectionSettings, options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: saslOptions(settings),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    logLevel: options.logLevel ?? logLevel.WARN,
    ...(options.logCreator ? { logCreator: options.logCreator } : {}),
    retry: { retries: options.retries ?? 5, initialRetryTime: 200 },
  };
  return new Kafka(config);
}

/** The same cluster reached as another principal (e.g. an agency instead of the admin). */
export function asPrincipal(
  settings: ConnectionSettings,
  username: string,
  password: string,
): ConnectionSettings {
  return Object.freeze({ ...settings, sasl: Object.freeze({ ...settings.sasl, username, password }) });
}
