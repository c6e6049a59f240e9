import { TOPICS } from '@passport/config';
import { UsageError } from '@passport/errors';
import type { TopicNames } from '@passport/streams';

/** Short names people type: `requests`, `candidate-replies`, `dlq`… as well as full logical names. */
const ALIASES: Record<string, string> = {
  requests: TOPICS.cooperationRequests,
  'cooperation-requests': TOPICS.cooperationRequests,
  replies: TOPICS.candidateReplies,
  'candidate-replies': TOPICS.candidateReplies,
  introductions: TOPICS.introductions,
  outcomes: TOPICS.outcomes,
  reminders: TOPICS.requestReminders,
  'request-reminders': TOPICS.requestReminders,
  dlq: TOPICS.deadLetter,
  'dead-letter': TOPICS.deadLetter,
};

/** The actual topic behind what was typed; refuses topics that are not the exchange's. */
export function resolveTopic(topics: TopicNames, typed: string | undefined): string {
  if (!typed) throw new UsageError('a topic is required, e.g. requests or passport.cooperation-requests.v1');
  const logical = ALIASES[typed] ?? typed;
  const known = [...Object.values(TOPICS)] as string[];
  if (known.includes(logical)) return topics.actual(logical);
  if ([...topics.events, topics.deadLetter].includes(typed)) return typed;
  throw new UsageError(
    `unknown topic ${typed}; use one of ${Object.keys(ALIASES).join(', ')} or a full name`,
  );
}
