import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { needsProfile } from '../common/needs-profile';
import { afterOccurredAt } from '../common/time-rules';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** A home agency asks partner agencies to search their ecosystems for the (anonymous) firm. */
export const cooperationRequested = defineEvent({
  type: 'CooperationRequested',
  topic: TOPICS.cooperationRequests,
  schemaFile: 'cooperation-requests/CooperationRequested.avsc',
  payload: z.object({ profile: needsProfile }),
  rules(event, ctx) {
    const { targetAgencies, deadline } = event.payload.profile;
    if (targetAgencies.includes(event.source)) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload', 'profile', 'targetAgencies'],
        message: `must not include the sender ${event.source}`,
      });
    }
    afterOccurredAt(event, deadline, ['payload', 'profile', 'deadline'], ctx);
  },
});

export type CooperationRequested = EventOf<typeof cooperationRequested>;
export type CooperationRequestedInput = EventInput<typeof cooperationRequested>;
