import { judgeAnswer, recordAnswer } from './introduction-answer';
import type { Reaction } from './reaction';

export const introductionDeclined: Reaction<'IntroductionDeclined'> = {
  judge: judgeAnswer,
  apply: (event, deps) =>
    recordAnswer(event, deps, {
      status: 'declined',
      candidateName: null,
      candidateContact: null,
      reason: event.payload.reason,
    }),
};
