import { inboxHomeAgency } from '../../store/inbox';
import { findIntroduction } from '../../store/introductions';
import { insertOutcome } from '../../store/outcomes';
import { ownRequestStatus } from '../../store/own-requests';
import { proposedFor } from '../../store/suggestions';
import { notify, type HandlerDeps } from '../deps';
import { ALLOWED, forbidden, NOT_OURS, type EventOf, type Reaction, type Verdict } from './reaction';

type Reported = EventOf<'OutcomeReported'>;

/** On our own request the only other party is the partner our introduction for that candidate went to. */
async function judgeOnOwnRequest(event: Reported, deps: HandlerDeps): Promise<Verdict> {
  const { candidateRef } = event.payload;
  const intro =
    candidateRef === null
      ? undefined
      : await findIntroduction(deps.db, event.requestId, candidateRef, 'home');
  if (intro?.partnerAgency === event.source) return ALLOWED;
  return forbidden(
    'introduction-party-only',
    `OutcomeReported for request ${event.requestId} may come only from its home agency ${deps.agency.id} or the partner introduced for candidate ${candidateRef ?? '(none)'}${intro ? ` (${intro.partnerAgency})` : ''}, not ${event.source}`,
  );
}

/**
 * Outcomes feed the success evaluation, so only the parties may report them: the request's home agency,
 * or the partner agency that is party to the introduction of that candidate. In a partner's inbox, an
 * outcome from another partner about a candidate that is not ours is not ours to check or keep.
 */
async function judge(event: Reported, deps: HandlerDeps): Promise<Verdict> {
  if ((await ownRequestStatus(deps.db, event.requestId)) !== undefined) return judgeOnOwnRequest(event, deps);
  const home = await inboxHomeAgency(deps.db, event.requestId);
  if (home === undefined) return NOT_OURS;
  if (home === event.source) return ALLOWED;
  const { candidateRef } = event.payload;
  if (candidateRef === null || !(await proposedFor(deps.db, event.requestId, candidateRef))) return NOT_OURS;
  return forbidden(
    'introduction-party-only',
    `OutcomeReported for candidate ${candidateRef} of request ${event.requestId} may come only from its home agency ${home} or ${deps.agency.id}, not ${event.source}`,
  );
}

export const outcomeReported: Reaction<'OutcomeReported'> = {
  judge,

  async apply(event, deps) {
    await insertOutcome(deps.db, event);
    return notify(deps, 'outcome.reported', event.requestId, { agency: event.source, ...event.payload });
  },
};
