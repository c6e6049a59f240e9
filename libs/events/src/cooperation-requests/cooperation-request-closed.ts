import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { CLOSE_REASONS } from '../common/classifications';
import { anonymousText } from '../common/primitives';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/** The home agency ends the request: fulfilled, withdrawn by the firm, or expired at its deadline. */
export const cooperationRequestClosed = defineEvent({
  type: 'CooperationRequestClosed',
  topic: TOPICS.cooperationRequests,
  schemaFile: 'cooperation-requests/CooperationRequestClosed.avsc',
  payload: z.object({ reason: z.enum(CLOSE_REASONS), note: anonymousText(500).nullable().default(null) }),
});

export type CooperationRequestClosed = EventOf<typeof cooperationRequestClosed>;
export type CooperationRequestClosedInput = EventInput<typeof cooperationRequestClosed>;
