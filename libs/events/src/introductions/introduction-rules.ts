import type { z } from 'zod';

/** Introductions go from one agency to exactly one other; never to the sender itself. */
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
