/**
 * Topic names of the exchange (DESIGN.md §3). Names carry a version suffix: an incompatible change
 * gets a new topic, never a rewrite of an existing one. Partitions, retention and ACLs live in infra/.
 */
export const TOPICS = Object.freeze({
  cooperationRequests: 'passport.cooperation-requests.v1',
  candidateReplies: 'passport.candidate-replies.v1',
  introductions: 'passport.introductions.v1',
  // v2 runs beside v1: its introductions carry personal data sealed to the addressed agency, and
  // FULL_TRANSITIVE cannot drop v1's required clear fields (README "Sealed personal data").
  sealedIntroductions: 'passport.introductions.v2',
  outcomes: 'passport.outcomes.v1',
  requestReminders: 'passport.request-reminders.v1',
  keyRotations: 'passport.key-rotations.v1',
} as const);

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Each agency parks poison on a dead-letter topic of its own, which only it (and the admin) may write:
 * whatever sits on agency X's topic was written by X's principal, so a redrive can trust that much.
 * A shared topic let any partner forge a "dead letter" of another agency's consumer.
 */
export function deadLetterTopicOf(agencyId: string): string {
  return `passport.dead-letter.${agencyId}.v1`;
}

/**
 * max.message.bytes of every dead-letter topic, declared with the topic and read by the producer that
 * shrinks a record to fit: a poison message can be as large as its exchange topic allows, plus headers.
 */
export const DEAD_LETTER_MAX_MESSAGE_BYTES = 1_048_576;

/** TopicNameStrategy: the registry subject of a topic's record value. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
