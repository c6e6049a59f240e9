import type { PassportEvent } from '@passport/events';
import { findInboxEntry, hasInboxEntry, insertInboxEntry, setInboxStatus } from '../../store/inbox';
import { upsertIntroduction, type Introduction } from '../../store/introductions';
import { insertOutcome } from '../../store/outcomes';
import {
  addReceivedCandidates,
  ownRequestStatus,
  ownRequestStatusFor,
  recordPartnerReply,
} from '../../store/own-requests';
import { emit, notify, type HandlerDeps } from '../deps';
import { remindInboxOnce } from '../inbox-reminder';
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
      return (await ownRequestStatusFor(deps.db, event.requestId, event.source)) !== undefined;
    case 'CandidatesProposed':
    case 'NoCandidatesFound':
      // A reply that crossed the closure (expiry, withdrawal) on the wire is not taken any more.
      return (await ownRequestStatusFor(deps.db, event.requestId, event.source)) === 'open';
    case 'CooperationRequestClosed':
      return hasInboxEntry(deps.db, event.requestId);
    case 'ReplyReminderSent':
      // Every agency may write the reminders topic (ACLs cannot look into records), so a reminder is
      // taken only from the home agency of a request in our inbox. One read before its request (topics
      // are not ordered among each other, e.g. on a replay) finds no entry; the own deadline check
      // covers that case.
      return (
        event.payload.addressedTo === me &&
        (await findInboxEntry(deps.db, event.requestId))?.homeAgency === event.source
      );
    case 'OutcomeReported':
      return (
        (await ownRequestStatus(deps.db, event.requestId)) !== undefined ||
        hasInboxEntry(deps.db, event.requestId)
      );
  }
}

function introductionOf(
  event: Extract<PassportEvent, { type: `Introduction${string}` }>,
  role: Introduction['role'],
): Introduction {
  return {
    requestId: event.requestId,
    candidateRef: event.payload.candidateRef,
    role,
    partnerAgency: event.source,
    status:
      event.type === 'IntroductionRequested'
        ? 'requested'
        : event.type === 'IntroductionAccepted'
          ? 'accepted'
          : 'declined',
    firmName: event.type === 'IntroductionRequested' ? event.payload.firmName : null,
    firmContact: event.type === 'IntroductionRequested' ? event.payload.firmContact : null,
    candidateName: event.type === 'IntroductionAccepted' ? event.payload.candidateName : null,
    candidateContact: event.type === 'IntroductionAccepted' ? event.payload.candidateContact : null,
    reason: event.type === 'IntroductionDeclined' ? event.payload.reason : null,
  };
}

/**
 * Applies a partner's event to our state, inside the transaction that also records it as processed, and
 * tells the back office (feed and webhook) in that same transaction.
 */
export async function applyEvent(event: PassportEvent, deps: HandlerDeps): Promise<void> {
  const now = deps.now().getTime();
  const from = event.source;
  switch (event.type) {
    case 'CooperationRequested': {
      const { profile } = event.payload;
      await insertInboxEntry(deps.db, event.requestId, from, profile, now);
      // DESIGN.md §2: a targeted partner stores the request and acknowledges it at once.
      await emit(
        deps,
        event.requestId,
        { type: 'RequestAcknowledged', payload: { expectedResponseBy: null } },
        event.eventId,
      );
      await setInboxStatus(deps.db, event.requestId, 'acknowledged', now);
      await notify(deps, 'inbox.request_received', event.requestId, {
        homeAgency: from,
        kind: profile.kind,
        title: profile.title,
        deadline: profile.deadline,
      });
      return answerFromDirectory(event, deps);
    }
    case 'RequestAcknowledged':
      await recordPartnerReply(deps.db, event.requestId, from, { status: 'acknowledged' }, now);
      return notify(deps, 'request.acknowledged', event.requestId, { agency: from });
    case 'CandidatesProposed':
      await addReceivedCandidates(deps.db, event.requestId, from, event.payload.candidates, now);
      await recordPartnerReply(
        deps.db,
        event.requestId,
        from,
        { status: 'candidates', note: event.payload.note },
        now,
      );
      return notify(deps, 'request.candidates_received', event.requestId, {
        agency: from,
        candidates: event.payload.candidates,
      });
    case 'NoCandidatesFound':
      await recordPartnerReply(
        deps.db,
        event.requestId,
        from,
        { status: 'none_found', reason: event.payload.reason, note: event.payload.note },
        now,
      );
      return notify(deps, 'request.no_candidates', event.requestId, {
        agency: from,
        reason: event.payload.reason,
      });
    case 'IntroductionRequested':
      await upsertIntroduction(deps.db, introductionOf(event, 'partner'), now);
      return notify(deps, 'introduction.requested', event.requestId, {
        homeAgency: from,
        candidateRef: event.payload.candidateRef,
        firmName: event.payload.firmName,
      });
    case 'IntroductionAccepted':
    case 'IntroductionDeclined': {
      const intro = introductionOf(event, 'home');
      await upsertIntroduction(deps.db, intro, now);
      const kind = event.type === 'IntroductionAccepted' ? 'introduction.accepted' : 'introduction.declined';
      return notify(deps, kind, event.requestId, {
        agency: from,
        candidateRef: intro.candidateRef,
        candidateName: intro.candidateName,
        candidateContact: intro.candidateContact,
        reason: intro.reason,
      });
    }
    case 'OutcomeReported':
      await insertOutcome(deps.db, event);
      return notify(deps, 'outcome.reported', event.requestId, { agency: from, ...event.payload });
    case 'ReplyReminderSent': {
      const entry = await findInboxEntry(deps.db, event.requestId);
      if (entry) await remindInboxOnce(deps, entry, 'home-agency');
      return;
    }
    case 'CooperationRequestClosed':
      await setInboxStatus(deps.db, event.requestId, 'closed', now);
      return notify(deps, 'inbox.request_closed', event.requestId, {
        homeAgency: from,
        reason: event.payload.reason,
      });
  }
}
