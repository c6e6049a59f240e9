import { ownRequestStatus, ownRequestStatusFor, partnerReplies } from '../../store/own-requests';
import type { HandlerDeps } from '../deps';
import { ALLOWED, forbidden, NOT_OURS, type EventOf, type Verdict } from './reaction';

type ReplyType = 'RequestAcknowledged' | 'CandidatesProposed' | 'NoCandidatesFound';

/**
 * Replies concern us when they name one of our requests, and only an agency that request was sent to
 * may reply. `afterClosure` keeps the deadline rule: an answer that crossed the closure on the wire is
 * not taken (README "Deadlines"), an acknowledgement still is. The common case, a target replying,
 * costs one lookup; the partners are listed only to explain a refusal.
 */
export async function judgeReply(
  event: EventOf<ReplyType>,
  deps: HandlerDeps,
  afterClosure: 'taken' | 'not-taken',
): Promise<Verdict> {
  const status = await ownRequestStatusFor(deps.db, event.requestId, event.source);
  if (status === 'open' || (status === 'closed' && afterClosure === 'taken')) return ALLOWED;
  if (status === 'closed') return NOT_OURS;
  if ((await ownRequestStatus(deps.db, event.requestId)) === undefined) return NOT_OURS;
  const targets = (await partnerReplies(deps.db, event.requestId)).map((reply) => reply.agencyId);
  return forbidden(
    'reply-from-target',
    `${event.type} for request ${event.requestId} may come only from an agency it was sent to (${targets.join(', ')}), not ${event.source}`,
  );
}
