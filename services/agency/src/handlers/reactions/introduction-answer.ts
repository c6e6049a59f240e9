import { erasuresOf } from '../../store/erasures';
import { findIntroduction, upsertIntroduction, type Introduction } from '../../store/introductions';
import { notify, type HandlerDeps } from '../deps';
import { ALLOWED, forbidden, NOT_OURS, type EventOf, type Verdict } from './reaction';

type AnswerType = 'IntroductionAccepted' | 'IntroductionDeclined';

/**
 * An answer is taken only from the partner agency our IntroductionRequested went to, for an
 * introduction still waiting: a finished one (accepted or declined) is never overwritten, so no third
 * agency can swap the candidate's name and contact under the home agency's feet.
 */
export async function judgeAnswer(event: EventOf<AnswerType>, deps: HandlerDeps): Promise<Verdict> {
  if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
  const { requestId } = event;
  const { candidateRef } = event.payload;
  const held = await findIntroduction(deps.db, requestId, candidateRef, 'home');
  if (!held)
    return forbidden(
      'introduction-requested-first',
      `${event.type} for candidate ${candidateRef} of request ${requestId} from ${event.source}: we requested no such introduction`,
    );
  if (held.partnerAgency !== event.source)
    return forbidden(
      'introduction-partner-only',
      `${event.type} for candidate ${candidateRef} of request ${requestId} may come only from ${held.partnerAgency}, not ${event.source}`,
    );
  const erasures = await erasuresOf(deps.db, requestId);
  if (erasures.some((e) => e.role === 'home' && (e.candidateRef === '' || e.candidateRef === candidateRef)))
    return forbidden(
      'introduction-erased',
      `${event.type} for candidate ${candidateRef} of request ${requestId}: its personal data was erased on request`,
    );
  if (held.status !== 'requested')
    return forbidden(
      'introduction-finished',
      `${event.type} for candidate ${candidateRef} of request ${requestId}: the introduction was already ${held.status}`,
    );
  return ALLOWED;
}

/** The partner's answer on our side of the introduction: contact fields stay null unless accepted. */
export async function recordAnswer(
  event: EventOf<AnswerType>,
  deps: HandlerDeps,
  answer: Pick<Introduction, 'status' | 'candidateName' | 'candidateContact' | 'reason'>,
): Promise<void> {
  const { candidateRef } = event.payload;
  const intro = {
    requestId: event.requestId,
    candidateRef,
    role: 'home' as const,
    partnerAgency: event.source,
  };
  await upsertIntroduction(
    deps.db,
    { ...intro, ...answer, firmName: null, firmContact: null },
    deps.now().getTime(),
  );
  const { status, ...told } = answer;
  const kind = status === 'accepted' ? 'introduction.accepted' : 'introduction.declined';
  return notify(deps, kind, event.requestId, { agency: event.source, candidateRef, ...told });
}
