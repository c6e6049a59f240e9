import { SealKeyUnavailableError } from '@passport/errors';
import { parseSealedParty, type SealedParty } from '@passport/events';
import { introductionKeyOpener, openSealed, sealedRecipientKeyId, type SealContext } from '@passport/trust';
import { findIntroductionKey } from '../../store/introduction-keys';
import type { HandlerDeps } from '../deps';

/** Where the key of a sealed field is held here: our `own` key row for the request (and candidate). */
export interface HeldKey {
  requestId: string;
  otherAgency: string;
  candidateRef: string;
}

/**
 * Opens a sealed introduction field with our own key for it. The field was written by another agency,
 * so everything after opening is checked like any event (parseSealedParty). Not ours, erased or never
 * made → PASSPORT_SEAL_KEY_UNAVAILABLE; malformed, tampered or moved from another event or field →
 * PASSPORT_SEAL_INVALID. Both are never retriable: the event is parked and nothing applied.
 */
export async function openSealedParty(
  deps: HandlerDeps,
  sealed: string,
  context: SealContext,
  held: HeldKey,
): Promise<SealedParty> {
  const recipientKeyId = sealedRecipientKeyId(sealed);
  const key = await findIntroductionKey(deps.db, held.requestId, held.otherAgency, held.candidateRef, 'own');
  if (!key?.privateBlob || key.keyId !== recipientKeyId) throw new SealKeyUnavailableError(recipientKeyId);
  const opener = await introductionKeyOpener(key.privateBlob);
  return parseSealedParty(await openSealed(sealed, context, opener), context.field);
}

/**
 * Judge and apply see the same event object; this opens it once for both. A WeakMap, so an event
 * leaves the cache with the last reference to it.
 */
export function openedOnce<Event extends object, Opened>(
  open: (event: Event, deps: HandlerDeps) => Promise<Opened>,
): (event: Event, deps: HandlerDeps) => Promise<Opened> {
  const opened = new WeakMap<Event, Promise<Opened>>();
  return (event, deps) => {
    let found = opened.get(event);
    if (!found) {
      found = open(event, deps);
      opened.set(event, found);
    }
    return found;
  };
}
