import { EventForbiddenError } from '@passport/errors';
import type { PassportEvent } from '@passport/events';
import { wasProcessed } from '../../store/processed-events';
import type { HandlerDeps } from '../deps';
import { candidatesProposed } from './candidates-proposed';
import { cooperationRequestClosed } from './cooperation-request-closed';
import { cooperationRequested } from './cooperation-requested';
import { introductionAccepted } from './introduction-accepted';
import { introductionDeclined } from './introduction-declined';
import { introductionRequested } from './introduction-requested';
import { keyRotationAnnounced } from './key-rotation-announced';
import { noCandidatesFound } from './no-candidates-found';
import { outcomeReported } from './outcome-reported';
import { personalDataErased } from './personal-data-erased';
import {
  ALREADY_APPLIED,
  forbidden,
  NOT_OURS,
  type EventType,
  type Reaction,
  type Verdict,
} from './reaction';
import { replyReminderSent } from './reply-reminder-sent';
import { sealedIntroductionAccepted } from './sealed-introduction-accepted';
import { sealedIntroductionRequested } from './sealed-introduction-requested';
import { requestAcknowledged } from './request-acknowledged';

/** Every event type has its reaction: a new type does not compile until it says who may send it. */
const REACTIONS: { readonly [T in EventType]: Reaction<T> } = {
  CooperationRequested: cooperationRequested,
  RequestAcknowledged: requestAcknowledged,
  CooperationRequestClosed: cooperationRequestClosed,
  CandidatesProposed: candidatesProposed,
  NoCandidatesFound: noCandidatesFound,
  IntroductionRequested: introductionRequested,
  SealedIntroductionRequested: sealedIntroductionRequested,
  IntroductionAccepted: introductionAccepted,
  SealedIntroductionAccepted: sealedIntroductionAccepted,
  IntroductionDeclined: introductionDeclined,
  OutcomeReported: outcomeReported,
  ReplyReminderSent: replyReminderSent,
  PersonalDataErased: personalDataErased,
  KeyRotationAnnounced: keyRotationAnnounced,
};

const reactionTo = <T extends EventType>(event: Extract<PassportEvent, { type: T }>) =>
  REACTIONS[event.type as T] as Reaction<T>;

/**
 * The one place where a partner's event is judged before any effect. Topics are shared by all
 * agencies, so most events on them are someone else's business; our own come back to us and are not
 * applied twice. `signer` is the sender the record's signature proved (the consumer verified it
 * against the trust list); every rule below trusts `event.source`, so the two must be one agency.
 */
export async function judgeEvent(event: PassportEvent, deps: HandlerDeps, signer: string): Promise<Verdict> {
  if (signer !== event.source)
    return forbidden(
      'signer-is-source',
      `${event.type} ${event.eventId} names ${event.source} as its source but was signed by ${signer}`,
    );
  if (event.source === deps.agency.id) return NOT_OURS;
  const verdict = await reactionTo(event).judge(event as never, deps);
  if (verdict.kind === 'forbidden' && (await wasProcessed(deps.db, event.eventId))) return ALREADY_APPLIED;
  return verdict;
}

/** Whether an event concerns this agency at all (allowed, forbidden or applied before). */
export async function concernsUs(event: PassportEvent, deps: HandlerDeps, signer: string): Promise<boolean> {
  return (await judgeEvent(event, deps, signer)).kind !== 'not-ours';
}

/** The refusal of a forbidden verdict, for the dead-letter topic. */
export const refusalOf = (event: PassportEvent, verdict: Verdict & { kind: 'forbidden' }) =>
  new EventForbiddenError(event.type, verdict.rule, verdict.reason);

/**
 * Judges the event and, if allowed, applies it inside the caller's transaction, telling the back
 * office (feed and webhook) in that same transaction. Throws EventForbiddenError (non-retriable) when
 * it concerns us but may not be applied; returns false when there is nothing to apply.
 */
export async function applyEvent(event: PassportEvent, deps: HandlerDeps, signer: string): Promise<boolean> {
  const verdict = await judgeEvent(event, deps, signer);
  if (verdict.kind === 'not-ours' || verdict.kind === 'already-applied') return false;
  if (verdict.kind === 'forbidden') throw refusalOf(event, verdict);
  await applyAllowed(event, deps);
  return true;
}

/** The effect alone, for a caller that has judged the event itself (the consumer, between judge and claim). */
export function applyAllowed(event: PassportEvent, deps: HandlerDeps): Promise<void> {
  return reactionTo(event).apply(event as never, deps);
}
