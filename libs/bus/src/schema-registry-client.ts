import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistryAPIClientOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import type { ConnectionSettings } from '@passport/config';

/**
 * A client of the registry's Confluent-compatible API. With Apicurio the URL ends in
 * `/apis/ccompat/v7`; with a Confluent registry it is the registry's root URL.
 */
export function createSchemaRegistry(
  settings: ConnectionSettings,
  options?: SchemaRegistryAPIClientOptions,
): SchemaRegistry {
  const { url, username, password } = settings.registry;
  return new SchemaRegistry(
    {
      host: url,
      ...(username && password ? { auth: { username, password } } : {}),
      retry: { retries: 3, initialRetryTimeInSecs: 0.2 },
    },
    options,
  );
}
