import { inboxHomeAgency, setInboxStatus } from '../../store/inbox';
import { ownRequestStatus } from '../../store/own-requests';
import { notify } from '../deps';
import { onlyFromHomeAgency, type Reaction } from './reaction';

/** Only the home agency closes a request: in a partner's inbox, and never one of our own from outside. */
export const cooperationRequestClosed: Reaction<'CooperationRequestClosed'> = {
  async judge(event, deps) {
    const home =
      (await inboxHomeAgency(deps.db, event.requestId)) ??
      ((await ownRequestStatus(deps.db, event.requestId)) === undefined ? undefined : deps.agency.id);
    return onlyFromHomeAgency(event, home);
  },

  async apply(event, deps) {
    await setInboxStatus(deps.db, event.requestId, 'closed', deps.now().getTime());
    return notify(deps, 'inbox.request_closed', event.requestId, {
      homeAgency: event.source,
      reason: event.payload.reason,
    });
  },
};
