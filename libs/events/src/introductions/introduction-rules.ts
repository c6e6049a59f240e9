import type { z } from 'zod';

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
