import { inboxHomeAgency } from '../../store/inbox';
import { findIntroduction, upsertIntroduction, type Introduction } from '../../store/introductions';
import { proposedFor } from '../../store/suggestions';
import { notify, type HandlerDeps } from '../deps';
import {
  ALLOWED,
  forbidden,
  NOT_OURS,
  onlyFromHomeAgency,
  type EventOf,
  type Reaction,
  type Verdict,
} from './reaction';

type Requested = EventOf<'IntroductionRequested'>;

/** The same firm and contact: a resend of the request we hold changes nothing and may pass. */
const sameContent = (held: Introduction, event: Requested) =>
  held.status === 'requested' &&
  held.firmName === event.payload.firmName &&
  JSON.stringify(held.firmContact) === JSON.stringify(event.payload.firmContact);

/**
 * Only the home agency of a request in our inbox asks to meet a candidate, and only one WE proposed
 * for that very request; an introduction we already hold is never rewritten with other content (nor
 * reopened once answered), so no third party can redirect the candidate's consent to another firm.
 */
async function judge(event: Requested, deps: HandlerDeps): Promise<Verdict> {
  if (event.payload.addressedTo !== deps.agency.id) return NOT_OURS;
  const { requestId } = event;
  const { candidateRef } = event.payload;
  const home = await inboxHomeAgency(deps.db, requestId);
  if (home === undefined)
    return forbidden(
      'home-agency-only',
      `IntroductionRequested for request ${requestId} from ${event.source}: no such request in our inbox`,
    );
  if (home !== event.source) return onlyFromHomeAgency(event, home);
  if (!(await proposedFor(deps.db, requestId, candidateRef)))
    return forbidden(
      'our-candidate-only',
      `IntroductionRequested for request ${requestId} names candidate ${candidateRef}, which ${deps.agency.id} did not propose for it`,
    );
  const held = await findIntroduction(deps.db, requestId, candidateRef, 'partner');
  if (held && !sameContent(held, event))
    return forbidden(
      'introduction-not-rewritten',
      `IntroductionRequested for candidate ${candidateRef} of request ${requestId}: an introduction (${held.status}) with other content exists`,
    );
  return ALLOWED;
}

export const introductionRequested: Reaction<'IntroductionRequested'> = {
  judge,

  async apply(event, deps) {
    const { candidateRef, firmName, firmContact } = event.payload;
    await upsertIntroduction(
      deps.db,
      {
        requestId: event.requestId,
        candidateRef,
        role: 'partner',
        partnerAgency: event.source,
        status: 'requested',
        firmName,
        firmContact,
        candidateName: null,
        candidateContact: null,
        reason: null,
      },
      deps.now().getTime(),
    );
    return notify(deps, 'introduction.requested', event.requestId, {
      homeAgency: event.source,
      candidateRef,
      firmName,
    });
  },
};
