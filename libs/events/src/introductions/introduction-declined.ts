import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { DECLINE_REASONS } from '../common/classifications';
import { anonymousText } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** The candidate does not want the introduction; nothing about it is disclosed. */
export const introductionDeclined = defineEvent({
  type: 'IntroductionDeclined',
  topic: TOPICS.introductions,
  schemaFile: 'introductions/IntroductionDeclined.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
    reason: z.enum(DECLINE_REASONS),
    note: anonymousText(500).nullable().default(null),
  }),
  rules: addressedToAnotherAgency,
});

export type IntroductionDeclined = EventOf<typeof introductionDeclined>;
export type IntroductionDeclinedInput = EventInput<typeof introductionDeclined>;
