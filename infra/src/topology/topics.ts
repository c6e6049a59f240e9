import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf, TOPICS, type Agency } from '@passport/config';

export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** max.message.bytes when the topic's writers must know it; otherwise the broker's default. */
  readonly maxMessageBytes?: number;
  /** Why the topic exists and why its retention is what it is. */
  readonly purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The exchange's topics (DESIGN.md §3). Six partitions each: every event is keyed by requestId, so six
 * lets each of four agencies scale a consumer group to a few instances while a request stays ordered.
 * Replication follows the cluster size (see replicationFactor); the declaration is the same for both.
 */
const EXCHANGE_TOPIC_DECLARATIONS: readonly TopicDeclaration[] = Object.freeze([
  {
    name: TOPICS.cooperationRequests,
    partitions: 6,
    retentionMs: 730 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Anonymous cooperation requests, acknowledgements and closures; two years so KPIs can be rebuilt by replay.',
  },
  {
    name: TOPICS.candidateReplies,
    partitions: 6,
    retentionMs: 730 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Company-level candidates or "none found" from partner agencies; two years, like the requests they answer.',
  },
  {
    name: TOPICS.introductions,
    partitions: 6,
    retentionMs: 180 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Introductions after consent; the only topic with contact persons, so it keeps them six months and no longer.',
  },
  {
    name: TOPICS.sealedIntroductions,
    partitions: 6,
    retentionMs: 180 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Introductions whose firm and candidate names and contacts are sealed to a per-introduction key of the addressed agency; kept six months like v1.',
  },
  {
    name: TOPICS.outcomes,
    partitions: 6,
    retentionMs: 1825 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Outcomes (meetings, agreements) for success evaluation; five years to cover a programme period.',
  },
  {
    name: TOPICS.requestReminders,
    partitions: 6,
    retentionMs: 730 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      'Reminders from a home agency to partners that have not answered before the deadline; agency ids and dates only, kept two years like the requests they remind of.',
  },
  {
    name: TOPICS.keyRotations,
    partitions: 1,
    retentionMs: 730 * DAY_MS,
    cleanupPolicy: 'delete',
    purpose:
      "Key rotation statements, each signed by its agency's current and next keys; one partition so an agency's successive rotations are read in order, two years so a partner that was away can still follow the chain.",
  },
]);

/**
 * One dead-letter topic per agency, so the topic a dead letter sits on says which agency's consumer
 * parked it (only that agency may write there). A fifth agency in the list gets its own.
 */
function deadLetterDeclaration(agency: Pick<Agency, 'id'>): TopicDeclaration {
  return {
    name: deadLetterTopicOf(agency.id),
    partitions: 3,
    retentionMs: 30 * DAY_MS,
    cleanupPolicy: 'delete',
    maxMessageBytes: DEAD_LETTER_MAX_MESSAGE_BYTES,
    purpose: `Events the consumers of ${agency.id} could not decode, validate or apply, with error headers; only ${agency.id} and the admin write here. Thirty days for an admin to redrive.`,
  };
}

/** The exchange topics, then one dead-letter topic per agency of the list. */
export function topicDeclarations(agencies: readonly Pick<Agency, 'id'>[]): readonly TopicDeclaration[] {
  return Object.freeze([...EXCHANGE_TOPIC_DECLARATIONS, ...agencies.map(deadLetterDeclaration)]);
}
