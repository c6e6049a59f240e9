import { ConflictError, NotFoundError } from '@passport/errors';
import { findInboxEntry, setInboxStatus, type InboxEntry } from '../../store/inbox';
import { findIntroduction, upsertIntroduction } from '../../store/introductions';
import { emit, type HandlerDeps } from '../deps';

async function answerableEntry(requestId: string, deps: HandlerDeps): Promise<InboxEntry> {
  const entry = await findInboxEntry(deps.db, requestId);
  if (!entry) throw new NotFoundError(`inbox request ${requestId}`);
  if (entry.status === 'closed')
    throw new ConflictError(
      `request ${requestId} was closed by ${entry.homeAgency}; it takes no more replies`,
    );
  if (entry.deadline.getTime() <= deps.now().getTime())
    throw new ConflictError(`request ${requestId} passed its deadline ${entry.deadline.toISOString()}`);
  return entry;
}

export async function proposeCandidates(
  requestId: string,
  input: { candidates: unknown[]; note?: string | null },
  deps: HandlerDeps,
) {
  await answerableEntry(requestId, deps);
  const event = await emit(deps, requestId, {
    type: 'CandidatesProposed',
    payload: { candidates: input.candidates, note: input.note ?? null },
  });
  await setInboxStatus(deps.db, requestId, 'answered', deps.now().getTime());
  return { requestId, eventId: event.eventId, candidates: input.candidates.length };
}

export async function reportNoCandidates(
  requestId: string,
  input: { reason: string; note?: string | null },
  deps: HandlerDeps,
) {
  await answerableEntry(requestId, deps);
  const event = await emit(deps, requestId, {
    type: 'NoCandidatesFound',
    payload: { reason: input.reason, note: input.note ?? null },
  });
  await setInboxStatus(deps.db, requestId, 'answered', deps.now().getTime());
  return { requestId, eventId: event.eventId };
}

async function pendingIntroduction(requestId: string, candidateRef: string, deps: HandlerDeps) {
  const intro = await findIntroduction(deps.db, requestId, candidateRef, 'partner');
  if (!intro)
    throw new NotFoundError(`introduction request for candidate ${candidateRef} of request ${requestId}`);
  if (intro.status !== 'requested')
    throw new ConflictError(`the introduction of ${candidateRef} was already ${intro.status}`);
  return intro;
}

/** The candidate agreed: its name and contact go to the home agency only, with the candidate's consent. */
export async function acceptIntroduction(
  requestId: string,
  candidateRef: string,
  input: { candidateName: string; contact: unknown; consent: unknown; message?: string | null },
  deps: HandlerDeps,
) {
  const intro = await pendingIntroduction(requestId, candidateRef, deps);
  const event = await emit(deps, requestId, {
    type: 'IntroductionAccepted',
    payload: {
      addressedTo: intro.partnerAgency,
      candidateRef,
      candidateName: input.candidateName,
      candidateContact: input.contact,
      candidateConsent: input.consent,
      message: input.message ?? null,
    },
  });
  const payload = event.payload as { candidateContact: unknown };
  await upsertIntroduction(
    deps.db,
    {
      ...intro,
      status: 'accepted',
      candidateName: input.candidateName,
      candidateContact: payload.candidateContact,
    },
    deps.now().getTime(),
  );
  return { requestId, candidateRef, eventId: event.eventId, status: 'accepted' as const };
}

export async function declineIntroduction(
  requestId: string,
  candidateRef: string,
  input: { reason: string; note?: string | null },
  deps: HandlerDeps,
) {
  const intro = await pendingIntroduction(requestId, candidateRef, deps);
  const event = await emit(deps, requestId, {
    type: 'IntroductionDeclined',
    payload: {
      addressedTo: intro.partnerAgency,
      candidateRef,
      reason: input.reason,
      note: input.note ?? null,
    },
  });
  await upsertIntroduction(
    deps.db,
    { ...intro, status: 'declined', reason: input.reason },
    deps.now().getTime(),
  );
  return { requestId, candidateRef, eventId: event.eventId, status: 'declined' as const };
}
