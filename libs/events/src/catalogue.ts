import { TOPICS, type TopicName } from '@passport/config';
import { z } from 'zod';
import { candidatesProposed } from './candidate-replies/candidates-proposed';
import { noCandidatesFound } from './candidate-replies/no-candidates-found';
import { cooperationRequestClosed } from './cooperation-requests/cooperation-request-closed';
import { cooperationRequested } from './cooperation-requests/cooperation-requested';
import { requestAcknowledged } from './cooperation-requests/request-acknowledged';
import type { EventOf } from './define-event';
import { keyRotationAnnounced } from './key-rotations/key-rotation-announced';
import { introductionAccepted } from './introductions/introduction-accepted';
import { introductionDeclined } from './introductions/introduction-declined';
import { introductionRequested } from './introductions/introduction-requested';
import { outcomeReported } from './outcomes/outcome-reported';
import { replyReminderSent } from './request-reminders/reply-reminder-sent';
import { personalDataErased } from './sealed-introductions/personal-data-erased';
import { sealedIntroductionAccepted } from './sealed-introductions/sealed-introduction-accepted';
import { sealedIntroductionRequested } from './sealed-introductions/sealed-introduction-requested';

/** Every event type of the Business Passport flow (DESIGN.md §2), in flow order. */
export const EVENT_DEFINITIONS = [
  cooperationRequested,
  requestAcknowledged,
  candidatesProposed,
  noCandidatesFound,
  replyReminderSent,
  introductionRequested,
  sealedIntroductionRequested,
  introductionAccepted,
  sealedIntroductionAccepted,
  introductionDeclined,
  outcomeReported,
  cooperationRequestClosed,
  personalDataErased,
  keyRotationAnnounced,
] as const;

export type EventDefinitionOf = (typeof EVENT_DEFINITIONS)[number];
export type EventType = EventDefinitionOf['type'];
export type PassportEvent = EventOf<EventDefinitionOf>;

const byType = new Map<string, EventDefinitionOf>(
  EVENT_DEFINITIONS.map((definition) => [definition.type, definition]),
);

export function definitionOf(type: string): EventDefinitionOf | undefined {
  return byType.get(type);
}

/** The Avro record (in schemas/) that is the value of each topic; its `payload` is a union of event types. */
export const TOPIC_RECORDS = Object.freeze({
  [TOPICS.cooperationRequests]: {
    record: 'CooperationRequestEvent',
    schemaFile: 'cooperation-requests/CooperationRequestEvent.avsc',
  },
  [TOPICS.candidateReplies]: {
    record: 'CandidateReplyEvent',
    schemaFile: 'candidate-replies/CandidateReplyEvent.avsc',
  },
  [TOPICS.introductions]: { record: 'IntroductionEvent', schemaFile: 'introductions/IntroductionEvent.avsc' },
  // v2 beside v1 rather than new branches of v1's union or sealed v1 fields: FULL_TRANSITIVE allows
  // neither; declines carry no personal data and stay on v1.
  [TOPICS.sealedIntroductions]: {
    record: 'SealedIntroductionEvent',
    schemaFile: 'sealed-introductions/SealedIntroductionEvent.avsc',
  },
  [TOPICS.outcomes]: { record: 'OutcomeEvent', schemaFile: 'outcomes/OutcomeEvent.avsc' },
  // A topic of its own rather than a new branch of the requests' union: old readers of a union cannot
  // read a branch they do not know, so that change would fail FULL_TRANSITIVE.
  [TOPICS.requestReminders]: {
    record: 'RequestReminderEvent',
    schemaFile: 'request-reminders/RequestReminderEvent.avsc',
  },
  // Key rotation statements (issue 15): every agency writes its own, every agency reads all.
  [TOPICS.keyRotations]: { record: 'KeyRotationEvent', schemaFile: 'key-rotations/KeyRotationEvent.avsc' },
} satisfies Partial<Record<TopicName, { record: string; schemaFile: string }>>);

export type EventTopic = keyof typeof TOPIC_RECORDS;

export const EVENT_TOPICS = Object.keys(TOPIC_RECORDS) as EventTopic[];

export function eventTypesOf(topic: EventTopic): EventType[] {
  return EVENT_DEFINITIONS.filter((definition) => definition.topic === topic).map(
    (definition) => definition.type,
  );
}

/** Validates any event of the contract, picking the rules by its `type`. */
export const passportEventSchema = z.unknown().transform((value, ctx) => {
  const type = (value as { type?: unknown } | null)?.type;
  const definition = typeof type === 'string' ? definitionOf(type) : undefined;
  if (!definition) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `must be one of ${[...byType.keys()].join(', ')}`,
    });
    return z.NEVER;
  }
  const result = definition.schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues)
      ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return result.data as PassportEvent;
});
