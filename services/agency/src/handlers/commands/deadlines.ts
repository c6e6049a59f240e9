import { listInbox } from '../../store/inbox';
import { closeOwnRequest, listOwnRequests, partnerReplies } from '../../store/own-requests';
import { emit, notify, type HandlerDeps } from '../deps';

/**
 * Own requests past their deadline close as `expired`: partners then refuse further replies, and the
 * back office is told. Returns the ids closed.
 */
export async function expireOverdue(deps: HandlerDeps): Promise<string[]> {
  const now = deps.now().getTime();
  const overdue = (await listOwnRequests(deps.db)).filter(
    (r) => r.status === 'open' && r.deadline.getTime() <= now,
  );
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

async function alreadyReminded(deps: HandlerDeps, requestId: string): Promise<boolean> {
  return (await deps.db.query('SELECT 1 AS x FROM reminders WHERE request_id = ?', [requestId])).length > 0;
}

/**
 * Once per request, when its deadline is within `windowMs`: the home agency's back office hears which
 * partners have not answered, and a partner's back office hears that an inbox request still waits.
 */
export async function remindUnanswered(deps: HandlerDeps, windowMs: number): Promise<string[]> {
  const now = deps.now().getTime();
  const reminded: string[] = [];
  const dueSoon = (deadline: Date) => deadline.getTime() > now && deadline.getTime() - now <= windowMs;
  for (const request of (await listOwnRequests(deps.db)).filter(
    (r) => r.status === 'open' && dueSoon(r.deadline),
  )) {
    const silent = (await partnerReplies(deps.db, request.requestId)).filter(
      (p) => p.status === 'requested' || p.status === 'acknowledged',
    );
    if (silent.length === 0 || (await alreadyReminded(deps, request.requestId))) continue;
    await notify(deps, 'request.reminder', request.requestId, {
      deadline: request.deadline,
      waitingFor: silent.map((p) => p.agencyId),
    });
    await deps.db.execute('INSERT INTO reminders (request_id, reminded_at) VALUES (?, ?)', [
      request.requestId,
      now,
    ]);
    reminded.push(request.requestId);
  }
  for (const entry of (await listInbox(deps.db)).filter(
    (e) => (e.status === 'received' || e.status === 'acknowledged') && dueSoon(e.deadline),
  )) {
    if (await alreadyReminded(deps, entry.requestId)) continue;
    await notify(deps, 'request.reminder', entry.requestId, {
      deadline: entry.deadline,
      homeAgency: entry.homeAgency,
      unanswered: true,
    });
    await deps.db.execute('INSERT INTO reminders (request_id, reminded_at) VALUES (?, ?)', [
      entry.requestId,
      now,
    ]);
    reminded.push(entry.requestId);
  }
  return reminded;
}
