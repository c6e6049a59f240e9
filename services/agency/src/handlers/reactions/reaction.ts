import type { PassportEvent } from '@passport/events';
import type { HandlerDeps } from '../deps';

export type EventType = PassportEvent['type'];
export type EventOf<T extends EventType> = Extract<PassportEvent, { type: T }>;

/**
 * What this agency makes of a partner's event before any effect. `not-ours`: someone else's business on
 * a shared topic, skipped silently. `forbidden`: it concerns us, but its sender may not say it, or not
 * in the request's current state; `rule` is a stable name for metrics, `reason` names the request, the
 * parties and the sender for the admin reading the dead letter. `already-applied`: a redelivery of an
 * event we applied, which the state it created now refuses; harmless, a duplicate.
 */
export type Verdict =
  | { readonly kind: 'not-ours' }
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'allowed' }
  | { readonly kind: 'forbidden'; readonly rule: string; readonly reason: string };

export const NOT_OURS: Verdict = Object.freeze({ kind: 'not-ours' });
export const ALREADY_APPLIED: Verdict = Object.freeze({ kind: 'already-applied' });
export const ALLOWED: Verdict = Object.freeze({ kind: 'allowed' });
export const forbidden = (rule: string, reason: string): Verdict => ({ kind: 'forbidden', rule, reason });

/** The commonest rule: only the request's home agency may say this; without a known home, not ours. */
export const onlyFromHomeAgency = (event: PassportEvent, home: string | undefined): Verdict =>
  home === undefined
    ? NOT_OURS
    : home === event.source
      ? ALLOWED
      : forbidden(
          'home-agency-only',
          `${event.type} for request ${event.requestId} may come only from its home agency ${home}, not ${event.source}`,
        );

/**
 * One event type's reaction: who may send it relative to the request and in which state (`judge`), and
 * what it changes (`apply`). Both are plain handlers; only the dispatcher calls them, `apply` only after
 * `judge` allowed the event, in the same transaction.
 */
export interface Reaction<T extends EventType> {
  judge(event: EventOf<T>, deps: HandlerDeps): Promise<Verdict>;
  apply(event: EventOf<T>, deps: HandlerDeps): Promise<void>;
}
