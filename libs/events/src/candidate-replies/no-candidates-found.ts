import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { NO_CANDIDATES_REASONS } from '../common/classifications';
import { anonymousText } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** A partner agency found nothing suitable in its ecosystem. */
export const noCandidatesFound = defineEvent({
  type: 'NoCandidatesFound',
  topic: TOPICS.candidateReplies,
  schemaFile: 'candidate-replies/NoCandidatesFound.avsc',
  payload: z.object({
    reason: z.enum(NO_CANDIDATES_REASONS),
    note: anonymousText(500).nullable().default(null),
  }),
});

export type NoCandidatesFound = EventOf<typeof noCandidatesFound>;
export type NoCandidatesFoundInput = EventInput<typeof noCandidatesFound>;
