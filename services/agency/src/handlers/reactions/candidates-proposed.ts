import { PER_REQUEST } from '../../store/introduction-keys';
import { rememberPeerKey } from '../sealing/announce-key';
import { addReceivedCandidates, recordPartnerReply } from '../../store/own-requests';
import { notify } from '../deps';
import { judgeReply } from './partner-reply';
import type { Reaction } from './reaction';

export const candidatesProposed: Reaction<'CandidatesProposed'> = {
  judge: (event, deps) => judgeReply(event, deps, 'not-taken'),

  async apply(event, deps) {
    const now = deps.now().getTime();
    const from = event.source;
    await addReceivedCandidates(deps.db, event.requestId, from, event.payload.candidates, now);
    const { introductionKey } = event.payload;
    if (introductionKey)
      await rememberPeerKey(deps, event.requestId, from, PER_REQUEST, introductionKey, 'introductionKey');
    await recordPartnerReply(
      deps.db,
      event.requestId,
      from,
      { status: 'candidates', note: event.payload.note },
      now,
    );
    return notify(deps, 'request.candidates_received', event.requestId, {
      agency: from,
      candidates: event.payload.candidates,
    });
  },
};
