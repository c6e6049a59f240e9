import type { InboxEntry } from '../store/inbox';
import { claimReminder } from '../store/reminders';
import { notify, type HandlerDeps } from './deps';

/**
 * Who prompted a partner-side reminder: the home agency's ReplyReminderSent event, or this agency's own
 * deadline check, kept so a partner is still reminded when the home agency sends nothing (an older
 * release, or a service down through the whole reminder window).
 */
export type ReminderOrigin = 'home-agency' | 'own-deadline-check';

/** Still waiting for our answer, and still able to take one: a reminder replayed late says nothing. */
const waiting = (entry: InboxEntry, now: number) =>
  (entry.status === 'received' || entry.status === 'acknowledged') && entry.deadline.getTime() > now;

/**
 * Tells the partner's back office (`inbox.reminder`) that an inbox request still waits for its answer,
 * at most once per request whichever origin comes first: both claim the same `reminders` row, so the
 * back office never hears the same reminder twice. An entry already answered, closed or past its
 * deadline is left alone. Returns whether the back office was told.
 */
export async function remindInboxOnce(
  deps: HandlerDeps,
  entry: InboxEntry,
  origin: ReminderOrigin,
): Promise<boolean> {
  const now = deps.now().getTime();
  if (!waiting(entry, now)) return false;
  if (!(await claimReminder(deps.db, entry.requestId, now))) return false;
  await notify(deps, 'inbox.reminder', entry.requestId, {
    homeAgency: entry.homeAgency,
    deadline: entry.deadline,
    origin,
  });
  return true;
}
