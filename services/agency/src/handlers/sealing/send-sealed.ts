import { ConflictError } from '@passport/errors';
import { sealedPartyBytes, type PassportEvent } from '@passport/events';
import { sealFor } from '@passport/trust';
import { findIntroductionKey, PER_REQUEST } from '../../store/introduction-keys';
import { emit, type HandlerDeps } from '../deps';
import { ownKeyFor } from './announce-key';

/** A firm or candidate as the command has it; validated where it is sealed or put in the event. */
interface Party {
  name: string;
  contact: unknown;
  message: string | null;
}

interface Addressing {
  requestId: string;
  addressedTo: string;
  candidateRef: string;
}

/**
 * The firm asks to meet a candidate. Sealed on v2 to the key the partner announced for the request,
 * with a fresh key of ours for the answer; a partner that announced none runs a version before
 * sealing: clear on v1 if SEALED_INTRODUCTIONS allows it, otherwise 409 and nothing sent.
 */
export async function sendIntroductionRequest(
  deps: HandlerDeps,
  to: Addressing,
  firm: Party,
  consent: unknown,
): Promise<PassportEvent> {
  const { requestId, addressedTo, candidateRef } = to;
  const partnerKey = await sealingKey(deps, to, PER_REQUEST);
  if (partnerKey === undefined)
    return emit(deps, requestId, {
      type: 'IntroductionRequested',
      payload: {
        addressedTo,
        candidateRef,
        firmName: firm.name,
        firmContact: firm.contact,
        firmConsent: consent,
        message: firm.message,
      },
    });
  const homeKey = await ownKeyFor(deps, requestId, addressedTo, candidateRef);
  return emit(deps, requestId, async (eventId) => {
    const type = 'SealedIntroductionRequested';
    const context = { eventId, eventType: type, requestId, field: 'sealedFirm' };
    const sealedFirm = await sealFor(partnerKey, sealedPartyBytes(firm, 'firm'), context);
    return { type, payload: { addressedTo, candidateRef, firmConsent: consent, sealedFirm, homeKey } };
  });
}

/** The candidate agrees: sealed on v2 to the home agency's key for this introduction, as above. */
export async function sendIntroductionAcceptance(
  deps: HandlerDeps,
  to: Addressing,
  candidate: Party,
  consent: unknown,
): Promise<PassportEvent> {
  const { requestId, addressedTo, candidateRef } = to;
  const homeKey = await sealingKey(deps, to, candidateRef);
  if (homeKey === undefined)
    return emit(deps, requestId, {
      type: 'IntroductionAccepted',
      payload: {
        addressedTo,
        candidateRef,
        candidateName: candidate.name,
        candidateContact: candidate.contact,
        candidateConsent: consent,
        message: candidate.message,
      },
    });
  return emit(deps, requestId, async (eventId) => {
    const type = 'SealedIntroductionAccepted';
    const context = { eventId, eventType: type, requestId, field: 'sealedCandidate' };
    const sealedCandidate = await sealFor(homeKey, sealedPartyBytes(candidate, 'candidate'), context);
    return { type, payload: { addressedTo, candidateRef, candidateConsent: consent, sealedCandidate } };
  });
}

/** The other agency's announced key, or undefined where clear is allowed; 409 where it is not. */
async function sealingKey(deps: HandlerDeps, to: Addressing, candidateRef: string) {
  if (deps.sealing === 'off') return undefined;
  const key = await findIntroductionKey(deps.db, to.requestId, to.addressedTo, candidateRef, 'peer');
  if (key) return { keyId: key.keyId, publicKey: key.publicKey };
  if (deps.sealing === 'fallback-to-clear') return undefined;
  throw new ConflictError(
    `${to.addressedTo} announced no introduction key for request ${to.requestId}${candidateRef ? ` and candidate ${candidateRef}` : ''} (it runs a version that does not seal personal data); nothing was sent: set SEALED_INTRODUCTIONS=fallback-to-clear to send it in clear during the upgrade`,
  );
}
