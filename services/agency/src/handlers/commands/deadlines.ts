import { inboxDue } from '../../store/inbox';
import { closeOwnRequest, openOwnRequestsDue, partnerReplies } from '../../store/own-requests';
import { claimReminder } from '../../store/reminders';
import { emit, notify, type HandlerDeps } from '../deps';
import { remindInboxOnce } from '../inbox-reminder';

/**
 * Own requests past their deadline close as `expired`: partners then refuse further replies, and the
 * back office is told. Returns the ids closed.
 */
export async function expireOverdue(deps: HandlerDeps): Promise<string[]> {
  const now = deps.now().getTime();
  const overdue = await openOwnRequestsDue(deps.db, Number.MIN_SAFE_INTEGER, now);
  for (const request of overdue) {
    await emit(deps, request.requestId, {
      type: 'CooperationRequestClosed',
      payload: { reason: 'EXPIRED', note: null },
    });
    await closeOwnRequest(deps.db, request.requestId, 'EXPIRED', now);
    await notify(deps, 'request.expired', request.requestId, { deadline: request.deadline });
  }
  return overdue.map((r) => r.requestId);
}

/** Deadlines after `from` and at most `until` (epoch ms): the reminder window. */
interface DueSoon {
  from: number;
  until: number;
}

/**
 * Home side: the back office hears which partners have not answered (`request.reminder`), and each of
 * those partners gets a ReplyReminderSent of its own through the outbox, in the same transaction. One
 * event per silent partner rather than one listing them all: a partner is told that it is late, not
 * which of its peers are, and events addressed to one agency are how introductions work already.
 */
async function remindSilentPartners(deps: HandlerDeps, dueSoon: DueSoon): Promise<string[]> {
  const reminded: string[] = [];
  for (const request of await openOwnRequestsDue(deps.db, dueSoon.from, dueSoon.until)) {
    const silent = (await partnerReplies(deps.db, request.requestId))
      .filter((p) => p.status === 'requested' || p.status === 'acknowledged')
      .map((p) => p.agencyId);
    if (silent.length === 0) continue;
    if (!(await claimReminder(deps.db, request.requestId, deps.now().getTime()))) continue;
    await notify(deps, 'request.reminder', request.requestId, {
      deadline: request.deadline,
      waitingFor: silent,
    });
    for (const partner of silent) {
      await emit(deps, request.requestId, {
        type: 'ReplyReminderSent',
        payload: { addressedTo: partner, deadline: request.deadline },
      });
    }
    reminded.push(request.requestId);
  }
  return reminded;
}

/**
 * Partner side: the own deadline check stays beside the home agency's reminder event (see
 * ReminderOrigin). Both go through remindInboxOnce, so the back office hears one `inbox.reminder` per
 * request, from whichever comes first, and nothing more when the other one follows.
 */
async function remindOwnInbox(deps: HandlerDeps, dueSoon: DueSoon): Promise<string[]> {
  const reminded: string[] = [];
  for (const entry of await inboxDue(deps.db, dueSoon.from, dueSoon.until)) {
    if (await remindInboxOnce(deps, entry, 'own-deadline-check')) reminded.push(entry.requestId);
  }
  return reminded;
}

/** Once per request, when its deadline is within `windowMs`, on both sides of the exchange. */
export async function remindUnanswered(deps: HandlerDeps, windowMs: number): Promise<string[]> {
  const now = deps.now().getTime();
  // Read by the index on deadline: a directory of thousands of old requests costs nothing here.
  const dueSoon: DueSoon = { from: now, until: now + windowMs };
  return [...(await remindSilentPartners(deps, dueSoon)), ...(await remindOwnInbox(deps, dueSoon))];
}
