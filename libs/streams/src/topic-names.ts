import { TOPICS } from '@passport/config';
import { EVENT_TOPICS, type EventTopic } from '@passport/events';

/**
 * Where the exchange's logical topics actually live. Production uses the names as they are; tests and
 * rehearsals append a suffix so they can own a private copy of every topic on a shared cluster. The
 * codec always works with the logical name, because the registry subject is derived from it.
 */
export interface TopicNames {
  readonly suffix: string;
  actual(logical: string): string;
  /** The logical event topic behind an actual name, or undefined for the dead-letter topic and strangers. */
  logical(actual: string): EventTopic | undefined;
  readonly events: readonly string[];
  readonly deadLetter: string;
}

export function topicNames(suffix = ''): TopicNames {
  const actual = (logical: string) => `${logical}${suffix}`;
  const byActual = new Map(EVENT_TOPICS.map((topic) => [actual(topic), topic]));
  return Object.freeze({
    suffix,
    actual,
    logical: (name: string) => byActual.get(name),
    events: Object.freeze(EVENT_TOPICS.map(actual)),
    deadLetter: actual(TOPICS.deadLetter),
  });
}
