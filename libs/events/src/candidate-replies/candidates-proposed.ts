import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { candidate } from '../common/candidate';
import { introductionKey } from '../common/introduction-key';
import { anonymousText } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** A partner agency answers with company-level candidates, best first. */
export const candidatesProposed = defineEvent({
  type: 'CandidatesProposed',
  topic: TOPICS.candidateReplies,
  schemaFile: 'candidate-replies/CandidatesProposed.avsc',
  payload: z.object({
    candidates: z
      .array(candidate)
      .min(1, 'needs at least one candidate; send NoCandidatesFound instead')
      .max(50),
    note: anonymousText(500).nullable().default(null),
    // The partner's fresh key for this request (README "Sealed personal data"); null from a partner
    // that does not seal yet, so the home agency knows it cannot seal to it.
    introductionKey: introductionKey.nullable().default(null),
  }),
  rules(event, ctx) {
    const refs = event.payload.candidates.map((c) => c.candidateRef);
    if (new Set(refs).size !== refs.length) {
      ctx.addIssue({ code: 'custom', path: ['payload', 'candidates'], message: 'repeats a candidateRef' });
    }
  },
});

export type CandidatesProposed = EventOf<typeof candidatesProposed>;
export type CandidatesProposedInput = EventInput<typeof candidatesProposed>;
