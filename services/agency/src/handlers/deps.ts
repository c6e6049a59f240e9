import type { Agency } from '@passport/config';
import { newEventId, newTraceparent, validateOutgoing, type PassportEvent } from '@passport/events';
import type { Database } from '../db/database';
import type { LiveTrustList } from '../live-trust-list';
import type { CandidateRefs } from '../matching/candidate-refs';
import type { Matcher } from '../matching/matcher';
import { appendFeed, type FeedKind } from '../store/feed';
import { addToOutbox } from '../store/outbox';
import { DEFAULT_SEALING, type SealingMode } from './sealing/sealing-mode';

/** What handlers need; `db` is the transaction they run in. Clock and ids are injectable for tests. */
export interface HandlerDeps {
  readonly db: Database;
  readonly agency: Agency;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly traceparent: string;
  /** The ecosystem directory search; absent in handlers that do not answer requests. */
  readonly matcher?: Matcher;
  /** Whether feed entries also queue a webhook delivery (WEBHOOK_URL is configured). */
  readonly webhooks?: boolean;
  /** The agency's keyed candidate refs; absent in handlers that never propose companies. */
  readonly candidateRefs?: CandidateRefs;
  /** The trust list the consumer verifies with; a key rotation statement is applied to it. */
  readonly trust?: LiveTrustList;
  /** Whether introductions are sealed (SEALED_INTRODUCTIONS); `required` unless configured. */
  readonly sealing: SealingMode;
}

/** Tells the back office: a feed entry (pull API) and, with webhooks configured, a delivery. */
export function notify(deps: HandlerDeps, kind: FeedKind, requestId: string, body: unknown): Promise<void> {
  return appendFeed(deps.db, kind, requestId, body, deps.now().getTime(), deps.webhooks ?? false);
}

// Made once: the consumer builds handler deps for every event it applies.
const systemClock = () => new Date();

export function handlerDeps(
  db: Database,
  agency: Agency,
  traceparent: string = newTraceparent(),
  matcher?: Matcher,
  webhooks = false,
  candidateRefs?: CandidateRefs,
  sealing: SealingMode = DEFAULT_SEALING,
): HandlerDeps {
  return {
    db,
    agency,
    now: systemClock,
    newId: newEventId,
    traceparent,
    webhooks,
    sealing,
    ...(matcher ? { matcher } : {}),
    ...(candidateRefs ? { candidateRefs } : {}),
  };
}

type EventBody = { type: string; payload: unknown };

/**
 * Validates an event this agency emits and queues it in the outbox of the current transaction. The
 * event's metadata is filled here so every handler emits the same way.
 */
export async function emit(
  deps: HandlerDeps,
  requestId: string,
  body: EventBody | ((eventId: string) => Promise<EventBody>),
  causationId: string | null = null,
): Promise<PassportEvent> {
  const eventId = deps.newId();
  const event = validateOutgoing({
    eventId,
    occurredAt: deps.now(),
    source: deps.agency.id,
    requestId,
    causationId,
    correlationId: requestId,
    // A sealed field binds the event id, so its body is built once the id is known.
    ...(typeof body === 'function' ? await body(eventId) : body),
  });
  await addToOutbox(deps.db, event, deps.traceparent);
  return event;
}
