import { BodyValidationError, ConflictError, NotFoundError } from '@passport/errors';
import { candidateRefsOf } from '../../matching/candidate-refs';
import { toCandidate } from '../../matching/to-candidate';
import { findCompany } from '../../store/directory';
import {
  companyOfCandidate,
  markSuggestions,
  rememberCandidateRef,
  rememberProposed,
  suggestionsFor,
} from '../../store/suggestions';
import { findInboxEntry, setInboxStatus, type InboxEntry } from '../../store/inbox';
import { findIntroduction, upsertIntroduction } from '../../store/introductions';
import { contactPerson, type CandidatesProposed } from '@passport/events';
import { emit, type HandlerDeps } from '../deps';
import { requestKeyToAnnounce } from '../sealing/announce-key';
import { sendIntroductionAcceptance } from '../sealing/send-sealed';

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
  const entry = await answerableEntry(requestId, deps);
  const event = (await emit(deps, requestId, {
    type: 'CandidatesProposed',
    payload: {
      candidates: input.candidates,
      note: input.note ?? null,
      introductionKey: await requestKeyToAnnounce(deps, requestId, entry.homeAgency),
    },
  })) as CandidatesProposed;
  await rememberProposed(
    deps.db,
    requestId,
    event.payload.candidates.map((c) => c.candidateRef),
  );
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
  input: {
    candidateName?: string | undefined;
    contact?: unknown;
    consent: unknown;
    message?: string | null | undefined;
  },
  deps: HandlerDeps,
) {
  const intro = await pendingIntroduction(requestId, candidateRef, deps);
  const known = await directoryEntryOf(candidateRef, deps);
  const candidateName = input.candidateName ?? known?.name;
  const contact = input.contact ?? known?.contact ?? undefined;
  if (!candidateName || !contact) {
    throw new BodyValidationError([
      {
        path: candidateName ? 'contact' : 'candidateName',
        message: 'is required: the candidate has none recorded in the directory',
      },
    ]);
  }
  const to = { requestId, addressedTo: intro.partnerAgency, candidateRef };
  const candidate = { name: candidateName, contact, message: input.message ?? null };
  const event = await sendIntroductionAcceptance(deps, to, candidate, input.consent);
  await upsertIntroduction(
    deps.db,
    {
      ...intro,
      status: 'accepted',
      candidateName,
      candidateContact: contactPerson.parse(contact),
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

/** The directory company behind one of our candidate references, if the candidate came from it. */
async function directoryEntryOf(candidateRef: string, deps: HandlerDeps) {
  const companyId = await companyOfCandidate(deps.db, candidateRef);
  return companyId === undefined ? undefined : findCompany(deps.db, companyId);
}

/**
 * Review mode: staff approve some of the suggested companies (in their order, optionally with their own
 * score or rationale), and they go out as candidates.
 */
export async function approveSuggestions(
  requestId: string,
  input: {
    candidates: Array<{ companyId: string; matchScore?: number | undefined; rationale?: string | undefined }>;
    note?: string | null | undefined;
  },
  deps: HandlerDeps,
) {
  const entry = await answerableEntry(requestId, deps);
  const suggested = new Map((await suggestionsFor(deps.db, requestId)).map((s) => [s.companyId, s]));
  const candidates = [];
  for (const [index, chosen] of input.candidates.entries()) {
    const company = await findCompany(deps.db, chosen.companyId);
    if (!company)
      throw new BodyValidationError([
        { path: `candidates.${index}.companyId`, message: `${chosen.companyId} is not in the directory` },
      ]);
    const suggestion = suggested.get(chosen.companyId);
    const candidateRef = candidateRefsOf(deps).refFor(requestId, company.companyId);
    await rememberCandidateRef(deps.db, candidateRef, requestId, company.companyId);
    candidates.push(
      toCandidate(
        company,
        {
          candidateRef,
          score: chosen.matchScore ?? suggestion?.score ?? 0.5,
          rationale: chosen.rationale ?? suggestion?.rationale ?? '',
        },
        entry.profile.workingLanguages,
      ),
    );
  }
  await markSuggestions(
    deps.db,
    requestId,
    input.candidates.map((c) => c.companyId),
  );
  return proposeCandidates(requestId, { candidates, note: input.note ?? null }, deps);
}
