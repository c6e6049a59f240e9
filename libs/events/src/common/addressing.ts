import type { z } from 'zod';

/**
 * Events addressed to one agency (introductions, reminders) go from one agency to another; an agency
 * never addresses itself, which would also make the consumer skip the event as its own.
 */
export function addressedToAnotherAgency(
  event: { source: string; payload: { addressedTo: string } },
  ctx: z.RefinementCtx,
): void {
  if (event.payload.addressedTo === event.source) {
    ctx.addIssue({
      code: 'custom',
      path: ['payload', 'addressedTo'],
      message: `must be another agency than the sender ${event.source}`,
    });
  }
}
