import type { RegistrySettings } from '@passport/config';
import { httpCall, type HttpAnswer } from './https-call';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * One call of the registry's Confluent-compatible REST API as `registry`'s client: over HTTPS checked
 * against its CA, with its identity-provider credentials as HTTP basic auth when it has them.
 */
export function registryCall(
  registry: RegistrySettings,
  path: string,
  call: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const { username, password, caFile } = registry;
  return httpCall(`${registry.url.replace(/\/$/, '')}${path}`, {
    method: call.method ?? 'GET',
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
    ...(caFile ? { caFile } : {}),
    ...(username && password ? { basicAuth: { username, password } } : {}),
  });
}

/**
 * True when the registry answers over a verified connection, even if it refuses these credentials:
 * a 401 still proves the process is up and its certificate is good.
 */
export async function isRegistryReachable(registry: RegistrySettings, timeoutMs = 2_000): Promise<boolean> {
  try {
    const { status } = await registryCall(registry, '/subjects', { timeoutMs });
    return status < 500;
  } catch {
    return false;
  }
}
