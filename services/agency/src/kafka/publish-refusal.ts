import { isPassportError, MessageRefusedError, type ErrorCode, type PassportError } from '@passport/errors';

/**
 * Refusals that concern one outbox row and that publishing it again cannot change: the contract's rules
 * refuse the event, or the registry holds no schema for it (its 404; provisioning must run first, and
 * meanwhile the other topics' rows should flow). Read by code, never by message.
 */
const ROW_REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PASSPORT_EVENT_INVALID',
  'PASSPORT_SCHEMA_NOT_REGISTERED',
  'PASSPORT_MESSAGE_REFUSED',
]);

/**
 * Kafka protocol errors by which the broker refuses the message itself, whoever sends it and however
 * often: larger than the topic's max.message.bytes, or a record it will not store. Refusals of the
 * principal (authorization) are left out on purpose: they stop every row alike and an admin may lift
 * them, so the outbox holds and retries.
 */
const BROKER_REFUSAL_TYPES: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'INVALID_RECORD']);

/** kafkajs keeps the broker's answer as `type` on a protocol error, which it may wrap (cause) or gather (errors). */
function brokerRefusalType(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const { type, cause, errors } = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (typeof type === 'string' && BROKER_REFUSAL_TYPES.has(type)) return type;
  const inner = [cause, ...(Array.isArray(errors) ? errors : [])];
  for (const candidate of inner) {
    const found = brokerRefusalType(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** True when the failure is a row's own, which no retry fixes; anything else may pass and holds the outbox. */
export function isRowRefusal(error: unknown): boolean {
  if (isPassportError(error)) return ROW_REFUSAL_CODES.has(error.code);
  return brokerRefusalType(error) !== undefined;
}

/** The error a refused row is quarantined with: ours as it is, the broker's as PASSPORT_MESSAGE_REFUSED. */
export function asRowRefusal(error: unknown, topic: string): PassportError {
  if (isPassportError(error)) return error;
  return new MessageRefusedError(topic, brokerRefusalType(error) ?? 'unknown refusal', { cause: error });
}
