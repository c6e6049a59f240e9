import { recordPartnerReply } from '../../store/own-requests';
import { notify } from '../deps';
import { judgeReply } from './partner-reply';
import type { Reaction } from './reaction';

export const noCandidatesFound: Reaction<'NoCandidatesFound'> = {
  judge: (event, deps) => judgeReply(event, deps, 'not-taken'),

  async apply(event, deps) {
    const { reason, note } = event.payload;
    await recordPartnerReply(
      deps.db,
      event.requestId,
      event.source,
      { status: 'none_found', reason, note },
      deps.now().getTime(),
    );
    return notify(deps, 'request.no_candidates', event.requestId, { agency: event.source, reason });
  },
};
