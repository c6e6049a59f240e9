import { TOPICS } from '@passport/config';
import { z } from 'zod';
import { addressedToAnotherAgency } from '../common/addressing';
import { agencyId } from '../common/agencies';
import { timestamp } from '../common/primitives';
import { afterOccurredAt } from '../common/time-rules';
import { defineEvent, type EventInput, type EventOf } from '../define-event';

/**
 * The home agency reminds a targeted partner that its answer is still missing while the deadline
 * nears. One event per silent partner, each addressed like an introduction: a partner learns that it
 * is late, not which of its peers are, and its consumer decides with one comparison whether the event
 * is its own business. The request's ids travel in the metadata; the payload holds no personal data,
 * only agency ids and a date.
 */
export const replyReminderSent = defineEvent({
  type: 'ReplyReminderSent',
  topic: TOPICS.requestReminders,
  schemaFile: 'request-reminders/ReplyReminderSent.avsc',
  payload: z.object({ addressedTo: agencyId, deadline: timestamp }),
  rules(event, ctx) {
    addressedToAnotherAgency(event, ctx);
    // A reminder only makes sense while an answer can still be given.
    afterOccurredAt(event, event.payload.deadline, ['payload', 'deadline'], ctx);
  },
});

export type ReplyReminderSent = EventOf<typeof replyReminderSent>;
export type ReplyReminderSentInput = EventInput<typeof replyReminderSent>;
