import { ConflictError, NotFoundError } from '@passport/errors';
import type { OutcomeReported } from '@passport/events';
import { findInboxEntry } from '../../store/inbox';
import { findIntroduction } from '../../store/introductions';
import { insertOutcome } from '../../store/outcomes';
import { findOwnRequest } from '../../store/own-requests';
import { emit, type HandlerDeps } from '../deps';

/**
 * A partner speaks only about an introduction it was asked for: the home agency would park anything
 * else as forbidden (README "Who may say what"), so the back office hears it now instead.
 */
async function assertPartnerMayReport(requestId: string, candidateRef: string | null, deps: HandlerDeps) {
  if (!(await findInboxEntry(deps.db, requestId))) throw new NotFoundError(`request ${requestId}`);
  if (candidateRef === null || !(await findIntroduction(deps.db, requestId, candidateRef, 'partner')))
    throw new ConflictError(
      `request ${requestId} has no introduction of candidate ${candidateRef ?? '(none given)'} to report on`,
    );
}

/** Either side of a request may report what came of it; both sides keep it for the success evaluation. */
export async function reportOutcome(
  requestId: string,
  input: {
    candidateRef?: string | null;
    outcome: string;
    agreementType?: string | null;
    summary?: string | null;
  },
  deps: HandlerDeps,
) {
  const ours = await findOwnRequest(deps.db, requestId);
  if (!ours) await assertPartnerMayReport(requestId, input.candidateRef ?? null, deps);
  const event = (await emit(deps, requestId, {
    type: 'OutcomeReported',
    payload: {
      candidateRef: input.candidateRef ?? null,
      outcome: input.outcome,
      agreementType: input.agreementType ?? null,
      summary: input.summary ?? null,
    },
  })) as OutcomeReported;
  await insertOutcome(deps.db, event);
  return { requestId, eventId: event.eventId, outcome: event.payload.outcome };
}
