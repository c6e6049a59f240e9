import { recordPartnerReply } from '../../store/own-requests';
import { notify } from '../deps';
import { judgeReply } from './partner-reply';
import type { Reaction } from './reaction';

export const requestAcknowledged: Reaction<'RequestAcknowledged'> = {
  judge: (event, deps) => judgeReply(event, deps, 'taken'),

  async apply(event, deps) {
    const now = deps.now().getTime();
    await recordPartnerReply(deps.db, event.requestId, event.source, { status: 'acknowledged' }, now);
    return notify(deps, 'request.acknowledged', event.requestId, { agency: event.source });
  },
};
