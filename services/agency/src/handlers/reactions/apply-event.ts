import type { PassportEvent } from '@passport/events';
import { findInboxEntry, insertInboxEntry, setInboxStatus } from '../../store/inbox';
import { upsertIntroduction } from '../../store/introductions';
import { insertOutcome } from '../../store/outcomes';
import { addReceivedCandidates, findOwnRequest, recordPartnerReply } from '../../store/own-requests';
import { emit, type HandlerDeps } from '../deps';
import { answerFromDirectory } from './answer-from-directory';

/**
 * Whether an event concerns this agency. Topics are shared by all agencies, so most events on them are
 * someone else's business and are skipped without touching state.
 */
export async function concernsUs(event: PassportEvent, deps: HandlerDeps): Promise<boolean> {
  const me = deps.agency.id;
  if (event.source === me) return false;
  switch (event.type) {
    case 'CooperationRequested':
      return event.payload.profile.targetAgencies.includes(me);
    case 'IntroductionRequested':
    case 'IntroductionAccepted':
    case 'IntroductionDeclined':
      return event.payload.addressedTo === me;
    case 'RequestAcknowledged':
    case 'CandidatesProposed':
    case 'NoCandidatesFound':
      return (await findOwnRequest(deps.db, event.requestId)) !== undefined;
    case 'CooperationRequestClosed':
      return (await findInboxEntry(deps.db, event.requestId)) !== undefined;
    case 'OutcomeReported':
      return (
        (await findOwnRequest(deps.db, event.requestId)) !== undefined ||
        (await findInboxEntry(deps.db, event.requestId)) !== undefined
      );
  }
}

/** Applies a partner's event to our state, inside the transaction that also records it as processed. */
export async function applyEvent(event: PassportEvent, deps: HandlerDeps): Promise<void> {
  const now = deps.now().getTime();
  switch (event.type) {
    case 'CooperationRequested':
      await insertInboxEntry(deps.db, event.requestId, event.source, event.payload.profile, now);
      // DESIGN.md §2: a targeted partner stores the request and acknowledges it at once.
      await emit(
        deps,
        event.requestId,
        { type: 'RequestAcknowledged', payload: { expectedResponseBy: null } },
        event.eventId,
      );
      await setInboxStatus(deps.db, event.requestId, 'acknowledged', now);
      return answerFromDirectory(event, deps);
    case 'RequestAcknowledged':
      return recordPartnerReply(deps.db, event.requestId, event.source, { status: 'acknowledged' }, now);
    case 'CandidatesProposed':
      await addReceivedCandidates(deps.db, event.requestId, event.source, event.payload.candidates, now);
      return recordPartnerReply(
        deps.db,
        event.requestId,
        event.source,
        { status: 'candidates', note: event.payload.note },
        now,
      );
    case 'NoCandidatesFound':
      return recordPartnerReply(
        deps.db,
        event.requestId,
        event.source,
        { status: 'none_found', reason: event.payload.reason, note: event.payload.note },
        now,
      );
    case 'IntroductionRequested':
      return upsertIntroduction(
        deps.db,
        {
          requestId: event.requestId,
          candidateRef: event.payload.candidateRef,
          role: 'partner',
          partnerAgency: event.source,
          status: 'requested',
          firmName: event.payload.firmName,
          firmContact: event.payload.firmContact,
          candidateName: null,
          candidateContact: null,
          reason: null,
        },
        now,
      );
    case 'IntroductionAccepted':
    case 'IntroductionDeclined':
      return upsertIntroduction(
        deps.db,
        {
          requestId: event.requestId,
          candidateRef: event.payload.candidateRef,
          role: 'home',
          partnerAgency: event.source,
          status: event.type === 'IntroductionAccepted' ? 'accepted' : 'declined',
          firmName: null,
          firmContact: null,
          candidateName: event.type === 'IntroductionAccepted' ? event.payload.candidateName : null,
          candidateContact: event.type === 'IntroductionAccepted' ? event.payload.candidateContact : null,
          reason: event.type === 'IntroductionDeclined' ? event.payload.reason : null,
        },
        now,
      );
    case 'OutcomeReported':
      return insertOutcome(deps.db, event);
    case 'CooperationRequestClosed':
      return setInboxStatus(deps.db, event.requestId, 'closed', now);
  }
}
