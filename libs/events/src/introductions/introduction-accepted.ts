import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { consent, contactPerson } from '../common/contact';
import { text } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';
import { consentGivenBefore } from './introduction-rules';

/** The candidate agrees; its name and contact person go to the home agency only. */
export const introductionAccepted = defineEvent({
  type: 'IntroductionAccepted',
  topic: TOPICS.introductions,
  schemaFile: 'introductions/IntroductionAccepted.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
    candidateName: text(200),
    candidateContact: contactPerson,
    candidateConsent: consent,
    message: text(1000).nullable().default(null),
  }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
    consentGivenBefore(event, event.payload.candidateConsent, 'candidateConsent', ctx);
  },
});

export type IntroductionAccepted = EventOf<typeof introductionAccepted>;
export type IntroductionAcceptedInput = EventInput<typeof introductionAccepted>;
