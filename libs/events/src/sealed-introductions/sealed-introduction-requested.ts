import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { consent } from '../common/contact';
import { introductionKey } from '../common/introduction-key';
import { sealedText } from '../common/sealed-text';
import { defineEvent, type EventInput, type EventOf } from '../define-event';
import { consentGivenBefore } from '../introductions/introduction-rules';

/**
 * IntroductionRequested on passport.introductions.v2: the firm's name, contact and message travel
 * sealed (`sealedFirm`, a {@link sealedParty}) to the key the addressed partner announced in its
 * CandidatesProposed, and `homeKey` is the home agency's fresh key for the candidate's answer.
 */
export const sealedIntroductionRequested = defineEvent({
  type: 'SealedIntroductionRequested',
  topic: TOPICS.sealedIntroductions,
  schemaFile: 'sealed-introductions/SealedIntroductionRequested.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
    firmConsent: consent,
    sealedFirm: sealedText,
    homeKey: introductionKey,
  }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
    consentGivenBefore(event, event.payload.firmConsent, 'firmConsent', ctx);
  },
});

export type SealedIntroductionRequested = EventOf<typeof sealedIntroductionRequested>;
export type SealedIntroductionRequestedInput = EventInput<typeof sealedIntroductionRequested>;
