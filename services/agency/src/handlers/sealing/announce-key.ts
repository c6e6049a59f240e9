import { createIntroductionKey } from '@passport/trust';
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
  const held = await findIntroductionKey(deps.db, requestId, homeAgency, PER_REQUEST, 'own');
  if (held?.privateBlob) return { keyId: held.keyId, publicKey: held.publicKey };
  return newOwnKey(deps, requestId, homeAgency, PER_REQUEST);
}

/** A fresh key of ours, its private blob stored in the database and nowhere else. */
export async function newOwnKey(
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

/** The other agency's announced key, remembered to seal to it later. */
export function rememberPeerKey(
  deps: HandlerDeps,
  requestId: string,
  otherAgency: string,
  candidateRef: string,
  key: IntroductionKey,
): Promise<void> {
  return saveIntroductionKey(
    deps.db,
    { requestId, agencyId: otherAgency, candidateRef, side: 'peer', ...key, privateBlob: null },
    deps.now().getTime(),
  );
}
