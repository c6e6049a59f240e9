import { projectKpis } from '@passport/kpis';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import { SAMPLE_EVENTS } from '../../../fixtures/events';

const story: PassportEvent[] = SAMPLE_EVENTS.map((sample) => validateOutgoing(sample));

describe('projectKpis', () => {
  const kpis = projectKpis(story, ['bwi', 'aura', 'accio', 'promos']);

  it('counts requests sent by the home region and received by each partner', () => {
    expect(kpis.regions.bwi?.requestsSent).toBe(1);
    expect(kpis.regions.accio?.requestsSent).toBe(0);
    expect(kpis.regions.accio?.requestsReceived).toBe(1);
    expect(kpis.overall.requestsReceived).toBe(3);
  });

  it('measures acknowledgement and first-candidate times in hours', () => {
    expect(kpis.regions.accio?.timeToAcknowledgeHours).toEqual({ count: 1, median: 2.5, p90: 2.5 });
    expect(kpis.overall.timeToFirstCandidateHours).toEqual({ count: 1, median: 193, p90: 193 });
    expect(kpis.regions.aura?.timeToFirstCandidateHours.count).toBe(0);
  });

  it('rates answers before the deadline, once the deadline has passed', () => {
    expect(kpis.overall.answersDue).toBe(3);
    expect(kpis.overall.answeredBeforeDeadline).toBe(2);
    expect(kpis.overall.responseRateBeforeDeadline).toBe(0.67);
    expect(kpis.regions.promos?.responseRateBeforeDeadline).toBe(0);
  });

  it('follows the funnel from request to agreement, with agreements by type', () => {
    expect(kpis.overall.funnel).toEqual({
      requested: 1,
      withCandidates: 1,
      introductionRequested: 1,
      introductionAccepted: 1,
      meetingHeld: 1,
      agreementSigned: 1,
    });
    expect(kpis.regions.bwi?.agreementsByType).toEqual({ DISTRIBUTION: 1 });
    expect(kpis.overall.candidatesPerRequest).toBe(1);
  });

  it('reports per month', () => {
    expect(kpis.months.map((m) => [m.month, m.requests, m.agreements])).toEqual([
      ['2026-03', 1, 0],
      ['2026-06', 0, 1],
    ]);
  });

  it('gives the same numbers whatever the order, counting a redelivered event once', () => {
    const shuffled = [...story].reverse();
    expect(projectKpis([...shuffled, story[2] as PassportEvent], ['bwi', 'aura', 'accio', 'promos'])).toEqual(
      kpis,
    );
  });
});
