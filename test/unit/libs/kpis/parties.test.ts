import { randomUUID } from 'node:crypto';
import { projectKpis } from '@passport/kpis';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import {
  candidatesProposedSample,
  introductionAcceptedSample,
  introductionRequestedSample,
  outcomeReportedSample,
  SAMPLE_EVENTS,
  SEALED_SAMPLE_EVENTS,
  sealedIntroductionAcceptedSample,
} from '../../../fixtures/events';

const AGENCIES = ['bwi', 'aura', 'accio', 'promos'];
const story: PassportEvent[] = SAMPLE_EVENTS.map((sample) => validateOutgoing(sample));

/** A sample of the story sent again by another agency, with a fresh id. */
const hostile = (sample: { source: string; payload: object }, source: string, payload: object = {}) =>
  validateOutgoing({
    ...sample,
    eventId: randomUUID(),
    source,
    payload: { ...sample.payload, ...payload },
  }) as PassportEvent;

describe('KPIs count only what the parties to a request may say', () => {
  const honest = projectKpis(story, AGENCIES);

  it('ignores outcomes from an agency that is neither the home agency nor the introduced partner', () => {
    const attacks = [
      hostile(outcomeReportedSample, 'promos'),
      hostile(outcomeReportedSample, 'aura', { outcome: 'MEETING_HELD', agreementType: null }),
      hostile(outcomeReportedSample, 'promos', { candidateRef: null }),
    ];
    const kpis = projectKpis([...story, ...attacks], AGENCIES);
    expect(kpis.overall.agreements).toBe(honest.overall.agreements);
    expect(kpis.overall.meetings).toBe(honest.overall.meetings);
    expect(kpis.months).toEqual(honest.months);
  });

  it('counts an outcome from the introduced partner', () => {
    const fromPartner = hostile(outcomeReportedSample, 'accio', {
      outcome: 'MEETING_HELD',
      agreementType: null,
    });
    expect(projectKpis([...story, fromPartner], AGENCIES).overall.meetings).toBe(honest.overall.meetings + 1);
  });

  it('ignores introductions and answers from agencies not party to them, and replies from non-targets', () => {
    const attacks = [
      hostile(introductionRequestedSample, 'aura', { addressedTo: 'accio' }),
      hostile(introductionAcceptedSample, 'promos'),
      hostile(candidatesProposedSample, 'bwi'),
    ];
    const kpis = projectKpis([...story, ...attacks], AGENCIES);
    expect(kpis.overall.introductionsRequested).toBe(honest.overall.introductionsRequested);
    expect(kpis.overall.introductionsAccepted).toBe(honest.overall.introductionsAccepted);
    expect(kpis.overall.candidatesProposed).toBe(honest.overall.candidatesProposed);
  });

  it('counts sealed introductions (v2) as the clear ones, and their senders by the same rules', () => {
    const clear = new Set(['IntroductionRequested', 'IntroductionAccepted']);
    const sealedStory = [
      ...story.filter((event) => !clear.has(event.type)),
      ...SEALED_SAMPLE_EVENTS.map((sample) => validateOutgoing(sample) as PassportEvent),
    ];
    const sealed = projectKpis(sealedStory, AGENCIES);
    expect(sealed.overall.introductionsRequested).toBe(honest.overall.introductionsRequested);
    expect(sealed.overall.introductionsAccepted).toBe(honest.overall.introductionsAccepted);
    expect(sealed.overall.agreements).toBe(honest.overall.agreements);
    const intruder = hostile(sealedIntroductionAcceptedSample, 'promos');
    expect(projectKpis([...sealedStory, intruder], AGENCIES).overall).toEqual(sealed.overall);
  });

  it('keeps the first request under a reused id, whatever the order', () => {
    const [request] = story;
    const reused = validateOutgoing({
      ...SAMPLE_EVENTS[0],
      eventId: randomUUID(),
      occurredAt: new Date((request as PassportEvent).occurredAt.getTime() + 1000),
      source: 'promos',
      payload: {
        profile: {
          ...(SAMPLE_EVENTS[0] as { payload: { profile: object } }).payload.profile,
          targetAgencies: ['bwi'],
        },
      },
    }) as PassportEvent;
    const kpis = projectKpis([reused, ...story], AGENCIES);
    expect(kpis.regions.promos?.requestsSent).toBe(0);
    expect(kpis).toEqual(projectKpis([...story].reverse().concat(reused), AGENCIES));
    expect(kpis.overall).toEqual(honest.overall);
  });
});
