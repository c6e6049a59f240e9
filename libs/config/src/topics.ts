/**
 * Topic names of the exchange (DESIGN.md §3). Names carry a version suffix: an incompatible change
 * gets a new topic, never a rewrite of an existing one. Partitions, retention and ACLs live in infra/.
 */
export const TOPICS = Object.freeze({
  cooperationRequests: 'passport.cooperation-requests.v1',
  candidateReplies: 'passport.candidate-replies.v1',
  introductions: 'passport.introductions.v1',
  outcomes: 'passport.outcomes.v1',
  requestReminders: 'passport.request-reminders.v1',
  deadLetter: 'passport.dead-letter.v1',
} as const);

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** TopicNameStrategy: the registry subject of a topic's record value. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
