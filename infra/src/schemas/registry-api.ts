import { REGISTRY_CALL_LIMITS } from '@passport/bus';
import { ProvisioningError, SchemaIncompatibleError } from '@passport/errors';

/** The few calls of the Confluent-compatible REST API that provisioning needs. */
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** The services' client's limits: a time limit per call, and more sends (every call here is safe to repeat). */
const { timeoutMs: CALL_TIMEOUT_MS, retries: RETRIES } = REGISTRY_CALL_LIMITS;

async function callOnce(
  url: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Some errors come back as plain text; keep it as is for the message.
  }
  return { status: response.status, json };
}

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await callOnce(url, method, body);
      if (answer.status < 500 || attempt === RETRIES) return answer;
    } catch (error) {
      // A timeout or a dropped connection; the last one is reported by the caller's error.
      if (attempt === RETRIES)
        throw new ProvisioningError(
          `${method} ${url} failed ${RETRIES + 1} times: ${(error as Error).message}`,
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
  registryUrl: string,
  subject: string,
  compatibility: string,
): Promise<void> {
  const { status, json } = await call(`${registryUrl}/config/${encodeURIComponent(subject)}`, 'PUT', {
    compatibility,
  });
  if (status >= 300)
    throw new ProvisioningError(
      `Setting ${compatibility} on ${subject} failed: HTTP ${status} ${reasonOf(json)}`,
    );
}

/** Registers `schema` under `subject` (a no-op returning the existing id when it is already there). */
export async function registerSchema(registryUrl: string, subject: string, schema: object): Promise<number> {
  const { status, json } = await call(
    `${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`,
    'POST',
    {
      schemaType: 'AVRO',
      schema: JSON.stringify(schema),
    },
  );
  if (status === 409) throw new SchemaIncompatibleError(subject, reasonOf(json));
  if (status >= 300)
    throw new ProvisioningError(
      `Registering a schema for ${subject} failed: HTTP ${status} ${reasonOf(json)}`,
    );
  return (json as { id: number }).id;
}

export async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  await call(`${registryUrl}/subjects/${encodeURIComponent(subject)}`, 'DELETE');
  await call(`${registryUrl}/subjects/${encodeURIComponent(subject)}?permanent=true`, 'DELETE');
}
