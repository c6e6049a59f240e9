import { openedOnce, openSealedParty } from '../sealing/open-sealed';
import type { HandlerDeps } from '../deps';
import { introductionAccepted } from './introduction-accepted';
import { wasProcessed } from '../../store/processed-events';
import { ALREADY_APPLIED, NOT_OURS, type EventOf, type Reaction } from './reaction';

type Sealed = EventOf<'SealedIntroductionAccepted'>;
type Clear = EventOf<'IntroductionAccepted'>;

/** The clear acceptance, the candidate opened with our key for this introduction. */
const opened = openedOnce(async (event: Sealed, deps: HandlerDeps): Promise<Clear> => {
  const { addressedTo, candidateRef, candidateConsent, sealedCandidate } = event.payload;
  const context = {
    eventId: event.eventId,
    eventType: event.type,
    requestId: event.requestId,
    field: 'sealedCandidate',
  };
  const candidate = await openSealedParty(deps, sealedCandidate, context);
  return {
    ...event,
    type: 'IntroductionAccepted',
    payload: {
      addressedTo,
      candidateRef,
      candidateConsent,
      candidateName: candidate.name,
      candidateContact: candidate.contact,
      message: candidate.message,
    },
  };
});

export const sealedIntroductionAccepted: Reaction<'SealedIntroductionAccepted'> = {
  async judge(event, deps) {
    if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
    // A redelivery after an erasure must not fail on the key it destroyed: it was applied once.
    if (await wasProcessed(deps.db, event.eventId)) return ALREADY_APPLIED;
    return introductionAccepted.judge(await opened(event, deps), deps);
  },
  apply: async (event, deps) => introductionAccepted.apply(await opened(event, deps), deps),
};
