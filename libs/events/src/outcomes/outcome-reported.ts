import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { candidate } from '../common/candidate';
import { AGREEMENT_TYPES, OUTCOME_KINDS } from '../common/classifications';
import { anonymousText } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** What came of a request or an introduction; the raw material of the success evaluation. */
export const outcomeReported = defineEvent({
  type: 'OutcomeReported',
  topic: TOPICS.outcomes,
  schemaFile: 'outcomes/OutcomeReported.avsc',
  payload: z.object({
    candidateRef: candidate.shape.candidateRef.nullable().default(null),
    outcome: z.enum(OUTCOME_KINDS),
    agreementType: z.enum(AGREEMENT_TYPES).nullable().default(null),
    summary: anonymousText(500).nullable().default(null),
  }),
  rules(event, ctx) {
    const { outcome, agreementType } = event.payload;
    if (outcome === 'AGREEMENT_SIGNED' && agreementType === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload', 'agreementType'],
        message: 'is required when an agreement was signed',
      });
    }
    if (outcome !== 'AGREEMENT_SIGNED' && agreementType !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload', 'agreementType'],
        message: 'is only set when an agreement was signed',
      });
    }
  },
});

export type OutcomeReported = EventOf<typeof outcomeReported>;
export type OutcomeReportedInput = EventInput<typeof outcomeReported>;
