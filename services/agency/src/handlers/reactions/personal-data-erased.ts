import {
  destroyIntroductionKeys,
  eraseConfirmedOutbox,
  eraseIntroductionFeed,
  eraseIntroductionRows,
} from '../../erasure/erase-copies';
import { saveErasure } from '../../store/erasures';
import { inboxHomeAgency } from '../../store/inbox';
import { NOT_OURS, onlyFromHomeAgency, type Reaction } from './reaction';

/**
 * The home agency erased an introduction on request: we erase our copy the same way (the row's names
 * and contacts, the request's introduction feed entries, our keys for the request from that agency)
 * and keep our own erasure record. Only the request's home agency may say it; a third agency's is
 * parked and changes nothing. Applying it twice changes nothing either.
 */
export const personalDataErased: Reaction<'PersonalDataErased'> = {
  async judge(event, deps) {
    if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
    return onlyFromHomeAgency(event, await inboxHomeAgency(deps.db, event.requestId));
  },
  async apply(event, deps) {
    const { requestId, source } = event;
    const { candidateRef } = event.payload;
    await eraseIntroductionRows(deps.db, requestId, 'partner', candidateRef);
    await eraseIntroductionFeed(deps.db, requestId);
    await eraseConfirmedOutbox(deps.db, requestId);
    const destroyedKeyIds = await destroyIntroductionKeys(deps.db, requestId, source);
    await saveErasure(deps.db, {
      requestId,
      candidateRef,
      role: 'partner',
      requestedBy: source,
      categories: ['firm', 'candidate', 'feed', 'outbox', 'introduction-keys'],
      destroyedKeyIds,
      eventIds: [event.eventId],
      erasedAt: deps.now().getTime(),
    });
  },
};
