import { rememberPeerKey } from '../sealing/announce-key';
import { openedOnce, openSealedParty } from '../sealing/open-sealed';
import type { HandlerDeps } from '../deps';
import { introductionRequested } from './introduction-requested';
import { wasProcessed } from '../../store/processed-events';
import { ALREADY_APPLIED, NOT_OURS, type EventOf, type Reaction } from './reaction';

type Sealed = EventOf<'SealedIntroductionRequested'>;
type Clear = EventOf<'IntroductionRequested'>;

/**
 * The clear request this sealed one stands for: same identity, the firm opened with the key we
 * announced to its sender for the request. The rules are then exactly those of IntroductionRequested.
 */
const opened = openedOnce(async (event: Sealed, deps: HandlerDeps): Promise<Clear> => {
  const { addressedTo, candidateRef, firmConsent, sealedFirm } = event.payload;
  const context = {
    eventId: event.eventId,
    eventType: event.type,
    requestId: event.requestId,
    field: 'sealedFirm',
  };
  const firm = await openSealedParty(deps, sealedFirm, context);
  const clear = { addressedTo, candidateRef, firmConsent, message: firm.message };
  return {
    ...event,
    type: 'IntroductionRequested',
    payload: { ...clear, firmName: firm.name, firmContact: firm.contact },
  };
});

export const sealedIntroductionRequested: Reaction<'SealedIntroductionRequested'> = {
  async judge(event, deps) {
    if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
    // A redelivery after an erasure must not fail on the key it destroyed: it was applied once.
    if (await wasProcessed(deps.db, event.eventId)) return ALREADY_APPLIED;
    return introductionRequested.judge(await opened(event, deps), deps);
  },

  async apply(event, deps) {
    await introductionRequested.apply(await opened(event, deps), deps);
    const { candidateRef, homeKey } = event.payload;
    await rememberPeerKey(deps, event.requestId, event.source, candidateRef, homeKey, 'homeKey');
  },
};
