import { judgeAnswer, recordAnswer } from './introduction-answer';
import type { Reaction } from './reaction';

export const introductionAccepted: Reaction<'IntroductionAccepted'> = {
  judge: judgeAnswer,
  apply: (event, deps) =>
    recordAnswer(event, deps, {
      status: 'accepted',
      candidateName: event.payload.candidateName,
      candidateContact: event.payload.candidateContact,
      reason: null,
    }),
};
