import { REGISTRY_CALL_LIMITS, registryCall } from '@passport/bus';
import type { RegistrySettings } from '@passport/config';
import { ProvisioningError, SchemaIncompatibleError } from '@passport/errors';

/** The few calls of the Confluent-compatible REST API that provisioning needs, as the operator's client. */

/** The services' client's limits: a time limit per call, and more sends (every call here is safe to repeat). */
const { timeoutMs: CALL_TIMEOUT_MS, retries: RETRIES } = REGISTRY_CALL_LIMITS;

async function callOnce(
  registry: RegistrySettings,
  path: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const { status, text } = await registryCall(registry, path, { method, body, timeoutMs: CALL_TIMEOUT_MS });
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Some errors come back as plain text; keep it as is for the message.
  }
  return { status, json };
}

async function call(
  registry: RegistrySettings,
  path: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await callOnce(registry, path, method, body);
      if (answer.status < 500 || attempt === RETRIES) return answer;
    } catch (error) {
      // A timeout or a dropped connection; the last one is reported by the caller's error.
      if (attempt === RETRIES)
        throw new ProvisioningError(
          `${method} ${registry.url}${path} failed ${RETRIES + 1} times: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
}

function reasonOf(json: unknown): string {
  if (json && typeof json === 'object' && 'message' in json)
    return String((json as { message: unknown }).message);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

export async function setSubjectCompatibility(
  registry: RegistrySettings,
  subject: string,
  compatibility: string,
): Promise<void> {
  const { status, json } = await call(registry, `/config/${encodeURIComponent(subject)}`, 'PUT', {
    compatibility,
  });
  if (status >= 300)
    throw new ProvisioningError(
      `Setting ${compatibility} on ${subject} failed: HTTP ${status} ${reasonOf(json)}`,
    );
}

/** Registers `schema` under `subject` (a no-op returning the existing id when it is already there). */
export async function registerSchema(
  registry: RegistrySettings,
  subject: string,
  schema: object,
): Promise<number> {
  const { status, json } = await call(registry, `/subjects/${encodeURIComponent(subject)}/versions`, 'POST', {
    schemaType: 'AVRO',
    schema: JSON.stringify(schema),
  });
  if (status === 409) throw new SchemaIncompatibleError(subject, reasonOf(json));
  if (status >= 300)
    throw new ProvisioningError(
      `Registering a schema for ${subject} failed: HTTP ${status} ${reasonOf(json)}`,
    );
  return (json as { id: number }).id;
}

export async function deleteSubject(registry: RegistrySettings, subject: string): Promise<void> {
  await call(registry, `/subjects/${encodeURIComponent(subject)}`, 'DELETE');
  await call(registry, `/subjects/${encodeURIComponent(subject)}?permanent=true`, 'DELETE');
}

/** Sets the registry-wide default compatibility (an operator-only write). */
export async function setDefaultCompatibility(
  registry: RegistrySettings,
  compatibility: string,
): Promise<void> {
  const { status, json } = await call(registry, '/config', 'PUT', { compatibility });
  if (status >= 300)
    throw new ProvisioningError(
      `The registry refused compatibility ${compatibility}: HTTP ${status} ${reasonOf(json)}`,
    );
}
