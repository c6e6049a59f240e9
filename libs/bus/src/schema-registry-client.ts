import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
import type { SchemaRegistryAPIClientOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import type { ConnectionSettings } from '@passport/config';
import { httpsAgentFor } from './https-call';

type RegistryMiddleware = NonNullable<SchemaRegistryAPIClientArgs['middlewares']>[number];
type RegistryRetry = NonNullable<SchemaRegistryAPIClientArgs['retry']>;

export interface RegistryCallLimits {
  /** A call without an answer after this long is abandoned and sent again. */
  timeoutMs: number;
  /** Sends after the first, for timeouts, 5xx answers and dropped connections. */
  retries: number;
}

/** The limits of every registry call, here and in provisioning's own calls. */
export const REGISTRY_CALL_LIMITS: RegistryCallLimits = { timeoutMs: 10_000, retries: 3 };

/** Gives every call a time limit: without one, a request the registry never answers waits forever. */
function timeLimit(ms: number): RegistryMiddleware {
  return () => ({
    async prepareRequest(next) {
      return (await next()).enhance({ timeout: ms });
    },
  });
}

/**
 * Every call the product makes is safe to repeat: lookups, registering a schema (the same schema
 * gets the same id) and reading or setting compatibility. So POSTs are retried like GETs, which the
 * client library does not do by default, and a timed-out call counts as retriable.
 */
function retryPolicy(retries: number): RegistryRetry {
  return {
    retries,
    initialRetryTimeInSecs: 0.2,
    enableRetry: () => true,
    validateRetry: (response) => response.status() >= 500 || response.error()?.name === 'TimeoutError',
  };
}

/**
 * A client of the registry's Confluent-compatible API. With Apicurio the URL ends in
 * `/apis/ccompat/v7`; with a Confluent registry it is the registry's root URL.
 */
export function createSchemaRegistry(
  settings: ConnectionSettings,
  options?: SchemaRegistryAPIClientOptions,
  limits: RegistryCallLimits = REGISTRY_CALL_LIMITS,
): SchemaRegistry {
  const { url, username, password, caFile } = settings.registry;
  const agent = httpsAgentFor(caFile);
  return new SchemaRegistry(
    {
      host: url,
      ...(username && password ? { auth: { username, password } } : {}),
      // The registry's certificate is checked against the configured CA (mappersmith hands the agent on).
      ...(agent ? { agent } : {}),
      retry: retryPolicy(limits.retries),
      middlewares: [timeLimit(limits.timeoutMs)],
    },
    options,
  );
}
