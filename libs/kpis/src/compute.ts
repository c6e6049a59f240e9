import type { Funnel, MonthKpis, RegionKpis } from './kpis';
import type { EventLog, RequestState } from './request-state';
import { distributionOfHours, ratio } from './statistics';

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
const valuesOf = (map: Map<string, number>, agency?: string) =>
  agency === undefined ? [...map.values()] : map.has(agency) ? [map.get(agency) as number] : [];

function partnerPairs(states: readonly RequestState[], agency?: string): Array<[RequestState, string]> {
  return states.flatMap((state) =>
    state.targets
      .filter((target) => agency === undefined || target === agency)
      .map((t) => [state, t] as [RequestState, string]),
  );
}

function partnerSide(log: EventLog, states: readonly RequestState[], agency?: string) {
  const pairs = partnerPairs(states, agency);
  const since = (state: RequestState, at: number | undefined) =>
    state.requestedAt === undefined || at === undefined ? [] : [at - state.requestedAt];
  const due = pairs.filter(
    ([s, t]) => s.deadline !== undefined && (s.deadline <= log.latest || s.firstAnswerAt.has(t)),
  );
  const answered = due.filter(([s, t]) => (s.firstAnswerAt.get(t) ?? Infinity) <= (s.deadline as number));
  // Overall, the first candidate of a request is the earliest from any partner.
  const firstCandidate = states.flatMap((s) =>
    agency === undefined
      ? since(s, s.firstCandidateAt.size ? Math.min(...s.firstCandidateAt.values()) : undefined)
      : since(s, s.firstCandidateAt.get(agency)),
  );
  const proposed = sum(states.flatMap((s) => valuesOf(s.candidates, agency)));
  const asked = agency === undefined ? states.filter((s) => s.home !== undefined).length : pairs.length;
  return {
    requestsReceived: pairs.length,
    timeToAcknowledgeHours: distributionOfHours(pairs.flatMap(([s, t]) => since(s, s.acknowledgedAt.get(t)))),
    answersDue: due.length,
    answeredBeforeDeadline: answered.length,
    responseRateBeforeDeadline: ratio(answered.length, due.length),
    timeToFirstCandidateHours: distributionOfHours(firstCandidate),
    candidatesProposed: proposed,
    candidatesPerRequest: ratio(proposed, asked),
  };
}

function funnelOf(states: readonly RequestState[]): Funnel {
  const count = (test: (s: RequestState) => boolean) => states.filter(test).length;
  return {
    requested: states.length,
    withCandidates: count((s) => sum(s.candidates.values()) > 0),
    introductionRequested: count((s) => sum(s.introductionsRequested.values()) > 0),
    introductionAccepted: count((s) => sum(s.introductionsAccepted.values()) > 0),
    meetingHeld: count((s) => s.meetings > 0 || s.agreements.length > 0),
    agreementSigned: count((s) => s.agreements.length > 0),
  };
}

function homeSide(states: readonly RequestState[]) {
  const agreementsByType: Record<string, number> = {};
  for (const type of states.flatMap((s) => s.agreements).sort())
    agreementsByType[type] = (agreementsByType[type] ?? 0) + 1;
  return {
    requestsSent: states.length,
    introductionsRequested: sum(states.flatMap((s) => [...s.introductionsRequested.values()])),
    introductionsAccepted: sum(states.flatMap((s) => [...s.introductionsAccepted.values()])),
    introductionsDeclined: sum(states.flatMap((s) => [...s.introductionsDeclined.values()])),
    meetings: sum(states.map((s) => s.meetings)),
    agreements: sum(Object.values(agreementsByType)),
    agreementsByType,
    funnel: funnelOf(states),
  };
}

/** The KPIs of one agency (as home and as partner), or of the whole exchange when `agency` is undefined. */
export function regionKpis(log: EventLog, agency?: string): RegionKpis {
  const requested = [...log.requests.values()].filter((s) => s.home !== undefined);
  const home = agency === undefined ? requested : requested.filter((s) => s.home === agency);
  return { ...homeSide(home), ...partnerSide(log, requested, agency) };
}

export function monthKpis(log: EventLog): MonthKpis[] {
  return [...log.months.keys()].sort().map((month) => {
    const counts = log.months.get(month) as Map<string, number>;
    const get = (kind: string) => counts.get(kind) ?? 0;
    return {
      month,
      requests: get('requests'),
      candidates: get('candidates'),
      introductionsRequested: get('introductionsRequested'),
      introductionsAccepted: get('introductionsAccepted'),
      meetings: get('meetings'),
      agreements: get('agreements'),
    };
  });
}
