import type { PassportEvent } from '@passport/events';

/**
 * Who may speak about one request, derived from the request's own events as the agency services judge
 * them: its home agency (the sender of the request), the agencies it targeted, and per candidate the
 * partner agency the home agency's IntroductionRequested went to.
 */
interface Parties {
  request?: { eventId: string; at: number; home: string; targets: readonly string[] };
  introduced: Map<string, string>;
}

/** Of two CooperationRequested with one request id, the earlier one (then the smaller id) is the request. */
const isEarlier = (event: PassportEvent, than: Parties['request']) =>
  than === undefined ||
  event.occurredAt.getTime() < than.at ||
  (event.occurredAt.getTime() === than.at && event.eventId < than.eventId);

/** One pass over all events: the parties of each request do not depend on the order events arrive in. */
export function partiesOf(events: Iterable<PassportEvent>): Map<string, Parties> {
  const parties = new Map<string, Parties>();
  const of = (requestId: string) => {
    let found = parties.get(requestId);
    if (!found) parties.set(requestId, (found = { introduced: new Map() }));
    return found;
  };
  const introductions: PassportEvent[] = [];
  for (const event of events) {
    if (event.type === 'IntroductionRequested' || event.type === 'SealedIntroductionRequested')
      introductions.push(event);
    if (event.type !== 'CooperationRequested' || !isEarlier(event, of(event.requestId).request)) continue;
    const { targetAgencies } = event.payload.profile;
    of(event.requestId).request = {
      eventId: event.eventId,
      at: event.occurredAt.getTime(),
      home: event.source,
      targets: targetAgencies,
    };
  }
  for (const event of introductions) {
    const request = parties.get(event.requestId);
    const requested = event.type === 'IntroductionRequested' || event.type === 'SealedIntroductionRequested';
    if (!requested || request?.request?.home !== event.source) continue;
    // A candidate is introduced to one agency; a second addressee would be a conflict, first one stays.
    const { candidateRef, addressedTo } = event.payload;
    if (!request.introduced.has(candidateRef)) request.introduced.set(candidateRef, addressedTo);
  }
  return parties;
}

/**
 * Whether an event counts in the success evaluation: the same rules the services apply before an event
 * changes their state, so a third agency's replies, introductions or outcomes count for nothing.
 */
export function mayCount(event: PassportEvent, parties: Map<string, Parties>): boolean {
  const known = parties.get(event.requestId);
  const request = known?.request;
  if (!request) return false;
  switch (event.type) {
    case 'CooperationRequested':
      return event.eventId === request.eventId;
    case 'RequestAcknowledged':
    case 'CandidatesProposed':
    case 'NoCandidatesFound':
      return request.targets.includes(event.source);
    case 'IntroductionRequested':
    case 'SealedIntroductionRequested':
    case 'CooperationRequestClosed':
    case 'ReplyReminderSent':
      return event.source === request.home;
    case 'KeyRotationAnnounced':
    case 'PersonalDataErased':
      return false;
    case 'IntroductionAccepted':
    case 'SealedIntroductionAccepted':
    case 'IntroductionDeclined':
      return known.introduced.get(event.payload.candidateRef) === event.source;
    case 'OutcomeReported': {
      const { candidateRef } = event.payload;
      const partner = candidateRef === null ? undefined : known.introduced.get(candidateRef);
      return event.source === request.home || event.source === partner;
    }
  }
}
