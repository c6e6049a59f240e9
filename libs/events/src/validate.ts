import { EventValidationError, type FieldIssue } from '@passport/errors';
import type { z } from 'zod';
import { passportEventSchema, type PassportEvent } from './catalogue';

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function typeOf(value: unknown): string {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'event';
}

function validate(value: unknown, direction: 'outgoing' | 'incoming'): PassportEvent {
  const result = passportEventSchema.safeParse(value);
  if (result.success) return result.data;
  throw new EventValidationError(typeOf(value), issuesOf(result.error), { details: { direction } });
}

/**
 * Checks an event before it is encoded and published. Fills defaults (nulls, empty lists) so what is
 * encoded is exactly what a consumer will see.
 */
export function validateOutgoing(event: unknown): PassportEvent {
  return validate(event, 'outgoing');
}

/** Checks an event after decoding: the Avro shape held, now the rules Avro cannot express. */
export function validateIncoming(event: unknown): PassportEvent {
  return validate(event, 'incoming');
}
