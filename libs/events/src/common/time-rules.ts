import type { z } from 'zod';

/**
 * A date an event looks ahead to (a deadline, a promised answer) must lie after the event itself;
 * Avro only knows it is a timestamp. `value` null means the optional date was not given.
 */
export function afterOccurredAt(
  event: { occurredAt: Date },
  value: Date | null,
  path: readonly string[],
  ctx: z.RefinementCtx,
): void {
  if (value !== null && value.getTime() <= event.occurredAt.getTime()) {
    ctx.addIssue({ code: 'custom', path: [...path], message: 'must be after occurredAt' });
  }
}
