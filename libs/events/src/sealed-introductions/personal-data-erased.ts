import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { candidate } from '../common/candidate';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/**
 * One agency erased its copy of an introduction's personal data on request and destroyed its keys for
 * it; the other agency of the introduction erases its own copy (README "Erasure"). No personal data:
 * the request and the candidate's reference name the introduction.
 */
export const personalDataErased = defineEvent({
  type: 'PersonalDataErased',
  topic: TOPICS.sealedIntroductions,
  schemaFile: 'sealed-introductions/PersonalDataErased.avsc',
  payload: z.object({
    addressedTo: agencyId,
    candidateRef: candidate.shape.candidateRef,
  }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
  },
});

export type PersonalDataErased = EventOf<typeof personalDataErased>;
export type PersonalDataErasedInput = EventInput<typeof personalDataErased>;
