import { NotFoundError } from '@passport/errors';
import type { OutcomeReported } from '@passport/events';
import { findInboxEntry } from '../../store/inbox';
import { insertOutcome } from '../../store/outcomes';
import { findOwnRequest } from '../../store/own-requests';
import { emit, type HandlerDeps } from '../deps';

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
  const involved = (await findOwnRequest(deps.db, requestId)) ?? (await findInboxEntry(deps.db, requestId));
  if (!involved) throw new NotFoundError(`request ${requestId}`);
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
