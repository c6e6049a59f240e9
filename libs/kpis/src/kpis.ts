import type { Distribution } from './statistics';

/** How far requests got; each stage counts requests that reached it (DESIGN.md §2 order). */
export interface Funnel {
  requested: number;
  withCandidates: number;
  introductionRequested: number;
  introductionAccepted: number;
  meetingHeld: number;
  agreementSigned: number;
}

/**
 * The success evaluation of one region or of the whole exchange. Partner-side figures (received,
 * acknowledgement, responses, candidates) belong to the agency that answered; home-side figures
 * (sent, introductions, outcomes, funnel) to the agency whose firm asked. See docs/console.md.
 */
export interface RegionKpis {
  requestsSent: number;
  requestsReceived: number;
  timeToAcknowledgeHours: Distribution;
  answersDue: number;
  answeredBeforeDeadline: number;
  responseRateBeforeDeadline: number | null;
  timeToFirstCandidateHours: Distribution;
  candidatesProposed: number;
  candidatesPerRequest: number | null;
  introductionsRequested: number;
  introductionsAccepted: number;
  introductionsDeclined: number;
  meetings: number;
  agreements: number;
  agreementsByType: Record<string, number>;
  funnel: Funnel;
}

export interface MonthKpis {
  month: string;
  requests: number;
  candidates: number;
  introductionsRequested: number;
  introductionsAccepted: number;
  meetings: number;
  agreements: number;
}

export interface Kpis {
  /** Events that went into the numbers, duplicates (same eventId) counted once. */
  events: number;
  overall: RegionKpis;
  regions: Record<string, RegionKpis>;
  months: MonthKpis[];
}
