import { TOPICS } from '@passport/config';
import { UsageError } from '@passport/errors';
import type { TopicNames } from '@passport/streams';

/**
 * Short names people type: `requests`, `candidate-replies`… as well as full logical names. Each agency
 * has its own dead-letter topic, named `dlq.<agency>` for short.
 */
const ALIASES: Record<string, string> = {
  requests: TOPICS.cooperationRequests,
  'cooperation-requests': TOPICS.cooperationRequests,
  replies: TOPICS.candidateReplies,
  'candidate-replies': TOPICS.candidateReplies,
  introductions: TOPICS.introductions,
  outcomes: TOPICS.outcomes,
  reminders: TOPICS.requestReminders,
  'request-reminders': TOPICS.requestReminders,
  'key-rotations': TOPICS.keyRotations,
};

function deadLetterTopic(topics: TopicNames, typed: string): string | undefined {
  const agency = /^(?:dlq|dead-letter)\.([a-z][a-z0-9]{1,15})$/.exec(typed)?.[1];
  const named = agency === undefined ? undefined : topics.deadLetterOf(agency);
  const owner =
    (named && topics.agencyOfDeadLetter(named)) ??
    topics.agencyOfDeadLetter(typed) ??
    topics.agencyOfDeadLetter(topics.actual(typed));
  return owner === undefined ? undefined : topics.deadLetterOf(owner);
}

/** The actual topic behind what was typed; refuses topics that are not the exchange's. */
export function resolveTopic(topics: TopicNames, typed: string | undefined): string {
  if (!typed) throw new UsageError('a topic is required, e.g. requests or passport.cooperation-requests.v1');
  const logical = ALIASES[typed] ?? typed;
  const known = [...Object.values(TOPICS)] as string[];
  if (known.includes(logical)) return topics.actual(logical);
  if (topics.events.includes(typed)) return typed;
  const deadLetters = deadLetterTopic(topics, typed);
  if (deadLetters !== undefined) return deadLetters;
  throw new UsageError(
    `unknown topic ${typed}; use one of ${Object.keys(ALIASES).join(', ')}, dlq.<agency> or a full name`,
  );
}
