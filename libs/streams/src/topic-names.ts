import { deadLetterTopicOf, loadAgencies } from '@passport/config';
import { EVENT_TOPICS, type EventTopic } from '@passport/events';

/**
 * Where the exchange's logical topics actually live. Production uses the names as they are; tests and
 * rehearsals append a suffix so they can own a private copy of every topic on a shared cluster. The
 * codec always works with the logical name, because the registry subject is derived from it.
 */
export interface TopicNames {
  readonly suffix: string;
  actual(logical: string): string;
  /** The logical event topic behind an actual name, or undefined for dead-letter topics and strangers. */
  logical(actual: string): EventTopic | undefined;
  readonly events: readonly string[];
  /** One dead-letter topic per agency, in the order of the agency list. */
  readonly deadLetters: readonly string[];
  deadLetterOf(agencyId: string): string;
  /** The agency whose dead-letter topic this actual name is, or undefined. */
  agencyOfDeadLetter(actual: string): string | undefined;
}

export function topicNames(
  suffix = '',
  agencyIds: readonly string[] = loadAgencies().map((agency) => agency.id),
): TopicNames {
  const actual = (logical: string) => `${logical}${suffix}`;
  const byActual = new Map(EVENT_TOPICS.map((topic) => [actual(topic), topic]));
  const deadLetterOf = (agencyId: string) => actual(deadLetterTopicOf(agencyId));
  const agencyByDeadLetter = new Map(agencyIds.map((id) => [deadLetterOf(id), id]));
  return Object.freeze({
    suffix,
    actual,
    logical: (name: string) => byActual.get(name),
    events: Object.freeze(EVENT_TOPICS.map(actual)),
    deadLetters: Object.freeze(agencyIds.map(deadLetterOf)),
    deadLetterOf,
    agencyOfDeadLetter: (name: string) => agencyByDeadLetter.get(name),
  });
}
