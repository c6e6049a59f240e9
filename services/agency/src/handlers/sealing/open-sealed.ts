import { SealKeyUnavailableError } from '@passport/errors';
import { parseSealedParty, type SealedParty } from '@passport/events';
import { introductionKeyOpener, openSealed, sealedRecipientKeyId, type SealContext } from '@passport/trust';
import { findOwnKeyById } from '../../store/introduction-keys';
import type { HandlerDeps } from '../deps';

/**
 * Opens a sealed introduction field with the key of ours it names, among this request's keys. The
 * key is found by the id the field names, not by who sent it, so a field copied into another
 * agency's event fails on its associated data (moved) rather than on a missing key. The field was
 * written by another agency: what it holds is checked like any event (parseSealedParty).
 * No such key here (erased, never ours) → PASSPORT_SEAL_KEY_UNAVAILABLE; malformed, tampered, or
 * moved from another event or field → PASSPORT_SEAL_INVALID. Neither is retriable: parked, nothing applied.
 */
export async function openSealedParty(
  deps: HandlerDeps,
  sealed: string,
  context: SealContext,
): Promise<SealedParty> {
  const recipientKeyId = sealedRecipientKeyId(sealed);
  const key = await findOwnKeyById(deps.db, context.requestId, recipientKeyId);
  if (!key) throw new SealKeyUnavailableError(recipientKeyId);
  const opener = await introductionKeyOpener(key.privateBlob);
  return parseSealedParty(await openSealed(sealed, context, opener), context.field);
}

/**
 * Judge and apply see the same event object; this opens it once for both. A WeakMap, so an event
 * leaves the cache with the last reference to it; a failure is not kept, so a retry opens again.
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
      found.catch(() => opened.delete(event));
    }
    return found;
  };
}
