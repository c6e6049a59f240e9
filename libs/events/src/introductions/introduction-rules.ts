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

/** Consent must be on record before the introduction event that relies on it. */
export function consentGivenBefore(
  event: { occurredAt: Date },
  consent: { givenAt: Date },
  field: 'firmConsent' | 'candidateConsent',
  ctx: z.RefinementCtx,
): void {
  if (consent.givenAt.getTime() > event.occurredAt.getTime()) {
    ctx.addIssue({
      code: 'custom',
      path: ['payload', field, 'givenAt'],
      message: `consent must be given before the ${field === 'firmConsent' ? 'request' : 'acceptance'}`,
    });
  }
}
