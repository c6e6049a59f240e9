import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { consent, contactPerson } from '../common/contact';
import { text } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';
import { consentGivenBefore } from './introduction-rules';

/**
 * The firm wants to meet a candidate and has consented to be named: the first event that carries the
 * firm's name and a contact person, addressed to the one agency that proposed the candidate.
 */
export const introductionRequested = defineEvent({
  type: 'IntroductionRequested',
  topic: TOPICS.introductions,
  schemaFile: 'introductions/IntroductionRequested.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
    firmName: text(200),
    firmContact: contactPerson,
    firmConsent: consent,
    message: text(1000).nullable().default(null),
  }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
    consentGivenBefore(event, event.payload.firmConsent, 'firmConsent', ctx);
  },
});

export type IntroductionRequested = EventOf<typeof introductionRequested>;
export type IntroductionRequestedInput = EventInput<typeof introductionRequested>;
