import { findInboxEntry, insertInboxEntry, setInboxStatus } from '../../store/inbox';
import { ownRequestStatus } from '../../store/own-requests';
import { emit, notify } from '../deps';
import { answerFromDirectory } from './answer-from-directory';
import { ALLOWED, forbidden, NOT_OURS, type Reaction } from './reaction';

/**
 * A request id names one request for good. A second CooperationRequested with a known id (a different
 * event: an exact redelivery is caught as a duplicate before this) would reopen a closed inbox entry
 * and trigger the automatic answers again, or pose as one of our own requests.
 */
export const cooperationRequested: Reaction<'CooperationRequested'> = {
  async judge(event, deps) {
    if (!event.payload.profile.targetAgencies.includes(deps.agency.id)) return NOT_OURS;
    const inInbox = await findInboxEntry(deps.db, event.requestId);
    const ours = inInbox ? undefined : await ownRequestStatus(deps.db, event.requestId);
    if (!inInbox && ours === undefined) return ALLOWED;
    const owner = inInbox ? `from ${inInbox.homeAgency}` : `one of ours (${deps.agency.id})`;
    return forbidden(
      'request-id-unique',
      `CooperationRequested for request ${event.requestId} from ${event.source} reuses the id of a request already known here, ${owner}`,
    );
  },

  async apply(event, deps) {
    const now = deps.now().getTime();
    const { profile } = event.payload;
    await insertInboxEntry(deps.db, event.requestId, event.source, profile, now);
    // DESIGN.md §2: a targeted partner stores the request and acknowledges it at once.
    await emit(
      deps,
      event.requestId,
      { type: 'RequestAcknowledged', payload: { expectedResponseBy: null } },
      event.eventId,
    );
    await setInboxStatus(deps.db, event.requestId, 'acknowledged', now);
    await notify(deps, 'inbox.request_received', event.requestId, {
      homeAgency: event.source,
      kind: profile.kind,
      title: profile.title,
      deadline: profile.deadline,
    });
    return answerFromDirectory(event, deps);
  },
};
