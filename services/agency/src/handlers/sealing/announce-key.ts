import { SealInvalidError } from '@passport/errors';
import { createIntroductionKey, fromBase64url, keyIdOf, RAW_PUBLIC_KEY_BYTES } from '@passport/trust';
import type { IntroductionKey } from '@passport/events';
import { findIntroductionKey, PER_REQUEST, saveIntroductionKey } from '../../store/introduction-keys';
import type { HandlerDeps } from '../deps';

/**
 * The partner's key for one request, announced in its CandidatesProposed: made at the first answer and
 * reused by later ones, so every introduction of the request opens with the one blob. `null` when
 * sealing is off (the behaviour of a version before sealing).
 */
export async function requestKeyToAnnounce(
  deps: HandlerDeps,
  requestId: string,
  homeAgency: string,
): Promise<IntroductionKey | null> {
  if (deps.sealing === 'off') return null;
  return ownKeyFor(deps, requestId, homeAgency, PER_REQUEST);
}

/**
 * Our key for a request (or one introduction of it): the one we hold, else a fresh one. Never
 * replaced while held, so what was sealed to it before, still on its way to us, keeps opening.
 */
export async function ownKeyFor(
  deps: HandlerDeps,
  requestId: string,
  otherAgency: string,
  candidateRef: string,
): Promise<IntroductionKey> {
  const held = await findIntroductionKey(deps.db, requestId, otherAgency, candidateRef, 'own');
  if (held?.privateBlob) return { keyId: held.keyId, publicKey: held.publicKey };
  return newOwnKey(deps, requestId, otherAgency, candidateRef);
}

/** A fresh key of ours, its private blob stored in the database and nowhere else. */
async function newOwnKey(
  deps: HandlerDeps,
  requestId: string,
  otherAgency: string,
  candidateRef: string,
): Promise<IntroductionKey> {
  const key = createIntroductionKey();
  await saveIntroductionKey(
    deps.db,
    {
      requestId,
      agencyId: otherAgency,
      candidateRef,
      side: 'own',
      ...key.recipient,
      privateBlob: key.privateKeyBlob,
    },
    deps.now().getTime(),
  );
  return key.recipient;
}

/**
 * The other agency's announced key, remembered to seal to it later. A key its id does not name is
 * refused here (PASSPORT_SEAL_INVALID naming `field`: the event is parked, nothing applied) rather than
 * when our back office answers and sealing to it fails.
 */
export function rememberPeerKey(
  deps: HandlerDeps,
  requestId: string,
  otherAgency: string,
  candidateRef: string,
  key: IntroductionKey,
  field: string,
): Promise<void> {
  const raw = fromBase64url(key.publicKey);
  if (raw?.length !== RAW_PUBLIC_KEY_BYTES || keyIdOf(raw) !== key.keyId)
    throw new SealInvalidError(`the announced ${field} is not a 32-byte key named by its keyId`, {
      details: { field },
    });
  return saveIntroductionKey(
    deps.db,
    { requestId, agencyId: otherAgency, candidateRef, side: 'peer', ...key, privateBlob: null },
    deps.now().getTime(),
  );
}
