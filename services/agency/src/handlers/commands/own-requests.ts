import { ConflictError, NotFoundError } from '@passport/errors';
import type { NeedsProfile } from '@passport/events';
import {
  closeOwnRequest,
  findOwnRequest,
  insertOwnRequest,
  receivedCandidates,
  type FirmIdentity,
  type OwnRequest,
} from '../../store/own-requests';
import { upsertIntroduction } from '../../store/introductions';
import { sendIntroductionRequest } from '../sealing/send-sealed';
import { emit, type HandlerDeps } from '../deps';

/** A firm's request: its identity stays in our database; only the anonymous profile is published. */
export async function createRequest(input: { firm: FirmIdentity; profile: unknown }, deps: HandlerDeps) {
  const requestId = deps.newId();
  const event = await emit(deps, requestId, {
    type: 'CooperationRequested',
    payload: { profile: input.profile },
  });
  const profile = (event.payload as { profile: NeedsProfile }).profile;
  await insertOwnRequest(deps.db, requestId, input.firm, profile, deps.now().getTime());
  return {
    requestId,
    eventId: event.eventId,
    status: 'open' as const,
    targetAgencies: profile.targetAgencies,
  };
}

async function openOwnRequest(
  requestId: string,
  deps: HandlerDeps,
): Promise<OwnRequest & { firm: FirmIdentity }> {
  const request = await findOwnRequest(deps.db, requestId);
  if (!request) throw new NotFoundError(`request ${requestId}`);
  // Only a closed request's firm is ever erased, so an open one always has it.
  if (request.status !== 'open' || request.firm === null)
    throw new ConflictError(`request ${requestId} is closed (${request.closeReason})`);
  return { ...request, firm: request.firm };
}

export async function closeRequest(
  requestId: string,
  input: { reason: 'FULFILLED' | 'WITHDRAWN'; note?: string | null },
  deps: HandlerDeps,
) {
  await openOwnRequest(requestId, deps);
  const event = await emit(deps, requestId, {
    type: 'CooperationRequestClosed',
    payload: { reason: input.reason, note: input.note ?? null },
  });
  await closeOwnRequest(deps.db, requestId, input.reason, deps.now().getTime());
  return { requestId, eventId: event.eventId, status: 'closed' as const, reason: input.reason };
}

/**
 * The firm wants to meet a candidate: its name and contact, recorded locally with the request, now go
 * to the one agency that proposed the candidate, together with the firm's consent.
 */
export async function requestIntroduction(
  requestId: string,
  input: { candidateRef: string; consent: unknown; message?: string | null },
  deps: HandlerDeps,
) {
  const request = await openOwnRequest(requestId, deps);
  const candidate = (await receivedCandidates(deps.db, requestId)).find(
    (c) => c.candidateRef === input.candidateRef,
  );
  if (!candidate) throw new NotFoundError(`candidate ${input.candidateRef} of request ${requestId}`);
  const to = { requestId, addressedTo: candidate.agencyId, candidateRef: input.candidateRef };
  const firm = { name: request.firm.name, contact: request.firm.contact, message: input.message ?? null };
  const event = await sendIntroductionRequest(deps, to, firm, input.consent);
  await upsertIntroduction(
    deps.db,
    {
      requestId,
      candidateRef: input.candidateRef,
      role: 'home',
      partnerAgency: candidate.agencyId,
      status: 'requested',
      firmName: request.firm.name,
      firmContact: request.firm.contact,
      candidateName: null,
      candidateContact: null,
      reason: null,
    },
    deps.now().getTime(),
  );
  return {
    requestId,
    candidateRef: input.candidateRef,
    addressedTo: candidate.agencyId,
    eventId: event.eventId,
    status: 'requested' as const,
  };
}
