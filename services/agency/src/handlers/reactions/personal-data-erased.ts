import {
  destroyIntroductionKeys,
  eraseConfirmedOutbox,
  eraseIntroductionFeed,
  eraseRequestDeadLetters,
  eraseIntroductionRows,
} from '../../erasure/erase-copies';
import { saveErasure } from '../../store/erasures';
import { inboxHomeAgency } from '../../store/inbox';
import { findIntroduction } from '../../store/introductions';
import type { HandlerDeps } from '../deps';
import { ALLOWED, forbidden, NOT_OURS, onlyFromHomeAgency, type EventOf, type Reaction } from './reaction';

type Erased = EventOf<'PersonalDataErased'>;

/**
 * Which of our copies the event speaks of: as the partner, our copy of a request the home agency
 * erased; as the home agency, our introduction the partner agency erased at its candidate's request.
 */
async function sideOf(event: Erased, deps: HandlerDeps): Promise<'partner' | 'home' | undefined> {
  if ((await inboxHomeAgency(deps.db, event.requestId)) !== undefined) return 'partner';
  const ours = await findIntroduction(deps.db, event.requestId, event.payload.candidateRef, 'home');
  return ours === undefined ? undefined : 'home';
}

/**
 * The other agency of an introduction erased it on request: we erase our copy the same way (the row's
 * names and contacts, the request's introduction feed entries and confirmed outbox rows, our keys for
 * it) and keep our own erasure record. Only that other agency may say it: the request's home agency,
 * or the partner the introduction went to; a third agency's is parked and changes nothing.
 */
export const personalDataErased: Reaction<'PersonalDataErased'> = {
  async judge(event, deps) {
    if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
    const side = await sideOf(event, deps);
    if (side === 'partner') return onlyFromHomeAgency(event, await inboxHomeAgency(deps.db, event.requestId));
    if (side === undefined) return NOT_OURS;
    const intro = await findIntroduction(deps.db, event.requestId, event.payload.candidateRef, 'home');
    return intro?.partnerAgency === event.source
      ? ALLOWED
      : forbidden(
          'introduced-partner-only',
          `PersonalDataErased for candidate ${event.payload.candidateRef} of request ${event.requestId} may come only from ${intro?.partnerAgency}, not ${event.source}`,
        );
  },
  async apply(event, deps) {
    const { requestId, source } = event;
    const { candidateRef } = event.payload;
    const side = (await sideOf(event, deps)) as 'partner' | 'home';
    await eraseIntroductionRows(deps.db, requestId, side, candidateRef);
    if (side === 'home') {
      // A partner erased one candidate: the request's other introductions and our outbox (which holds
      // the firm's data, not the candidate's) are not its to erase.
      await eraseIntroductionFeed(deps.db, requestId, candidateRef);
    } else {
      await eraseIntroductionFeed(deps.db, requestId);
      await eraseConfirmedOutbox(deps.db, requestId);
      await eraseRequestDeadLetters(deps.db, requestId);
    }
    // The partner's key is per request, the home agency's per introduction.
    const destroyedKeyIds = await destroyIntroductionKeys(
      deps.db,
      requestId,
      source,
      side === 'home' ? candidateRef : undefined,
    );
    await saveErasure(deps.db, {
      requestId,
      candidateRef,
      role: side,
      requestedBy: source,
      categories: ['firm', 'candidate', 'feed', 'outbox', 'introduction-keys'],
      destroyedKeyIds,
      eventIds: [event.eventId],
      erasedAt: deps.now().getTime(),
    });
  },
};
