import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { timestamp } from '../common/primitives';
import { afterOccurredAt } from '../common/time-rules';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** A partner agency confirms it received the request and is searching. */
export const requestAcknowledged = defineEvent({
  type: 'RequestAcknowledged',
  topic: TOPICS.cooperationRequests,
  schemaFile: 'cooperation-requests/RequestAcknowledged.avsc',
  payload: z.object({ expectedResponseBy: timestamp.nullable().default(null) }),
  rules(event, ctx) {
    afterOccurredAt(event, event.payload.expectedResponseBy, ['payload', 'expectedResponseBy'], ctx);
  },
});

export type RequestAcknowledged = EventOf<typeof requestAcknowledged>;
export type RequestAcknowledgedInput = EventInput<typeof requestAcknowledged>;
