import { findInboxEntry, inboxHomeAgency } from '../../store/inbox';
import { remindInboxOnce } from '../inbox-reminder';
import { NOT_OURS, onlyFromHomeAgency, type Reaction } from './reaction';

/**
 * Only the home agency of a request in our inbox reminds us of it. A reminder read before its request
 * (topics are not ordered among each other, e.g. on a replay) finds no entry and is skipped: the own
 * deadline check covers that case.
 */
export const replyReminderSent: Reaction<'ReplyReminderSent'> = {
  async judge(event, deps) {
    if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
    return onlyFromHomeAgency(event, await inboxHomeAgency(deps.db, event.requestId));
  },

  async apply(event, deps) {
    const entry = await findInboxEntry(deps.db, event.requestId);
    if (entry) await remindInboxOnce(deps, entry, 'home-agency');
  },
};
