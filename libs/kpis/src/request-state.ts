import type { PassportEvent } from '@passport/events';

/** What the events say about one request, folded without regard to arrival order. */
export interface RequestState {
  requestId: string;
  home?: string;
  requestedAt?: number;
  deadline?: number;
  targets: string[];
  acknowledgedAt: Map<string, number>;
  firstAnswerAt: Map<string, number>;
  firstCandidateAt: Map<string, number>;
  candidates: Map<string, number>;
  introductionsRequested: Map<string, number>;
  introductionsAccepted: Map<string, number>;
  introductionsDeclined: Map<string, number>;
  meetings: number;
  agreements: string[];
  closedAs?: string;
}

export interface EventLog {
  requests: Map<string, RequestState>;
  /** Time of the latest event seen: the projection's "now", so the result depends on events alone. */
  latest: number;
  /** Month (YYYY-MM) → event kind → count. */
  months: Map<string, Map<string, number>>;
}

function stateOf(log: EventLog, requestId: string): RequestState {
  let state = log.requests.get(requestId);
  if (!state) {
    state = {
      requestId,
      targets: [],
      acknowledgedAt: new Map(),
      firstAnswerAt: new Map(),
      firstCandidateAt: new Map(),
      candidates: new Map(),
      introductionsRequested: new Map(),
      introductionsAccepted: new Map(),
      introductionsDeclined: new Map(),
      meetings: 0,
      agreements: [],
    };
    log.requests.set(requestId, state);
  }
  return state;
}

const earliest = (map: Map<string, number>, key: string, at: number) =>
  map.set(key, Math.min(map.get(key) ?? at, at));
const add = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

function countMonth(log: EventLog, at: number, kind: string, by = 1): void {
  const month = new Date(at).toISOString().slice(0, 7);
  if (!log.months.has(month)) log.months.set(month, new Map());
  add(log.months.get(month) as Map<string, number>, kind, by);
}

/** Applies one event; every branch is commutative (min, sum, set), so order does not change the result. */
export function foldEvent(log: EventLog, event: PassportEvent): void {
  // A key rotation belongs to no request (its requestId is the rotation's own id) and counts for nothing.
  if (event.type === 'KeyRotationAnnounced') return;
  const at = event.occurredAt.getTime();
  const state = stateOf(log, event.requestId);
  log.latest = Math.max(log.latest, at);
  const by = event.source;
  switch (event.type) {
    case 'CooperationRequested':
      state.home = by;
      state.requestedAt = at;
      state.deadline = event.payload.profile.deadline.getTime();
      state.targets = [...event.payload.profile.targetAgencies];
      return countMonth(log, at, 'requests');
    case 'RequestAcknowledged':
      return void earliest(state.acknowledgedAt, by, at);
    case 'CandidatesProposed':
      earliest(state.firstAnswerAt, by, at);
      earliest(state.firstCandidateAt, by, at);
      add(state.candidates, by, event.payload.candidates.length);
      return countMonth(log, at, 'candidates', event.payload.candidates.length);
    case 'NoCandidatesFound':
      return void earliest(state.firstAnswerAt, by, at);
    case 'IntroductionRequested':
    case 'SealedIntroductionRequested':
      add(state.introductionsRequested, event.payload.addressedTo);
      return countMonth(log, at, 'introductionsRequested');
    case 'IntroductionAccepted':
    case 'SealedIntroductionAccepted':
      add(state.introductionsAccepted, by);
      return countMonth(log, at, 'introductionsAccepted');
    case 'IntroductionDeclined':
      return void add(state.introductionsDeclined, by);
    case 'OutcomeReported':
      if (event.payload.outcome === 'MEETING_HELD') {
        state.meetings += 1;
        return countMonth(log, at, 'meetings');
      }
      if (event.payload.outcome === 'AGREEMENT_SIGNED') {
        state.agreements.push(event.payload.agreementType ?? 'UNKNOWN');
        return countMonth(log, at, 'agreements');
      }
      return;
    case 'CooperationRequestClosed':
      state.closedAs = event.payload.reason;
      return;
    case 'ReplyReminderSent':
      // A reminder is a nudge, not an answer: the response rate already tells who answered late or never.
      return;
  }
}
