import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { consent } from '../common/contact';
import { sealedText } from '../common/sealed-text';
import { defineEvent, type EventInput, type EventOf } from '../define-event';
import { consentGivenBefore } from '../introductions/introduction-rules';

/**
 * IntroductionAccepted on passport.introductions.v2: the candidate's name, contact and message travel
 * sealed (`sealedCandidate`, a {@link sealedParty}) to the key the home agency announced in its
 * SealedIntroductionRequested.
 */
export const sealedIntroductionAccepted = defineEvent({
  type: 'SealedIntroductionAccepted',
  topic: TOPICS.sealedIntroductions,
  schemaFile: 'sealed-introductions/SealedIntroductionAccepted.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
    candidateConsent: consent,
    sealedCandidate: sealedText,
  }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
    consentGivenBefore(event, event.payload.candidateConsent, 'candidateConsent', ctx);
  },
});

export type SealedIntroductionAccepted = EventOf<typeof sealedIntroductionAccepted>;
export type SealedIntroductionAcceptedInput = EventInput<typeof sealedIntroductionAccepted>;
