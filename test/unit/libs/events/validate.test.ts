import { EventValidationError } from '@passport/errors';
import { validateIncoming, validateOutgoing } from '@passport/events';
import {
  candidatesProposedSample,
  cooperationRequestedSample,
  introductionAcceptedSample,
  introductionRequestedSample,
  outcomeReportedSample,
  SAMPLE_EVENTS,
} from '../../../fixtures/events';

function issueOf(event: unknown): { path: string; message: string } {
  try {
    validateOutgoing(event);
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues[0] as { path: string; message: string };
    throw error;
  }
  throw new Error('expected the event to be refused');
}

const request = cooperationRequestedSample;
const withProfile = (change: Record<string, unknown>) => ({
  ...request,
  payload: { profile: { ...request.payload.profile, ...change } },
});

describe('event validation', () => {
  it.each(SAMPLE_EVENTS.map((event) => [event.type, event]))(
    'accepts the %s sample both ways',
    (_type, event) => {
      const outgoing = validateOutgoing(event);
      expect(outgoing.type).toBe(event.type);
      expect(validateIncoming(outgoing)).toEqual(outgoing);
    },
  );

  it('fills the defaults an event may leave out', () => {
    const { causationId: _c, ...withoutCausation } = request;
    const minimal = {
      ...withoutCausation,
      payload: { profile: { ...request.payload.profile, translations: undefined, keywords: undefined } },
    };
    const event = validateOutgoing(minimal);
    expect(event.causationId).toBeNull();
    expect(event.type === 'CooperationRequested' && event.payload.profile.keywords).toEqual([]);
  });

  it.each([
    [
      'an unknown event type',
      { ...request, type: 'RequestForgotten' },
      'type',
      /must be one of CooperationRequested/,
    ],
    ['an unknown source agency', { ...request, source: 'bavaria' }, 'source', /unknown agency id "bavaria"/],
    ['a malformed event id', { ...request, eventId: 'not-a-uuid' }, 'eventId', /UUID/],
    [
      'the sender among its targets',
      withProfile({ targetAgencies: ['bwi', 'aura'] }),
      'payload.profile.targetAgencies',
      /must not include the sender bwi/,
    ],
    [
      'a target listed twice',
      withProfile({ targetAgencies: ['aura', 'aura'] }),
      'payload.profile.targetAgencies',
      /twice/,
    ],
    [
      'an unknown target agency',
      withProfile({ targetAgencies: ['aura', 'wales'] }),
      'payload.profile.targetAgencies.1',
      /unknown agency id/,
    ],
    [
      'a deadline before the request',
      withProfile({ deadline: new Date('2026-01-01T00:00:00Z') }),
      'payload.profile.deadline',
      /after occurredAt/,
    ],
    [
      'a malformed NACE code',
      withProfile({ sectors: [{ code: '284', revision: 'REV_2' }] }),
      'payload.profile.sectors.0.code',
      /NACE/,
    ],
    ['no sector', withProfile({ sectors: [] }), 'payload.profile.sectors', /at least one sector/],
    [
      'a bad HS code',
      withProfile({ productCodes: [{ scheme: 'HS', code: '848' }] }),
      'payload.profile.productCodes.0.code',
      /HS code/,
    ],
    [
      'an oversize summary',
      withProfile({ summary: 'x'.repeat(501) }),
      'payload.profile.summary',
      /at most 500/,
    ],
    [
      'an e-mail in the description',
      withProfile({ description: 'Write to sales@zahnrad.example.de for details' }),
      'payload.profile.description',
      /e-mail/,
    ],
    [
      'a phone number in the summary',
      withProfile({ summary: 'Call +49 711 123 4567 today' }),
      'payload.profile.summary',
      /phone/,
    ],
    [
      'an unsupported language',
      withProfile({ textLanguage: 'pl' }),
      'payload.profile.textLanguage',
      /de, fr, ca, es, it, en/,
    ],
    ['a blank title', withProfile({ title: '   ' }), 'payload.profile.title', /blank/],
  ])('refuses %s, naming the field', (_case, event, path, message) => {
    const issue = issueOf(event);
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(message);
  });

  it('refuses an empty candidate list and a score outside 0..1', () => {
    expect(issueOf({ ...candidatesProposedSample, payload: { candidates: [] } }).path).toBe(
      'payload.candidates',
    );
    const [first] = candidatesProposedSample.payload.candidates;
    const overScored = {
      ...candidatesProposedSample,
      payload: { candidates: [{ ...first, matchScore: 1.2 }] },
    };
    expect(issueOf(overScored)).toEqual({
      path: 'payload.candidates.0.matchScore',
      message: 'must be between 0 and 1',
    });
  });

  it('refuses an introduction addressed to its own sender and a consent given after the request', () => {
    expect(
      issueOf({
        ...introductionRequestedSample,
        payload: { ...introductionRequestedSample.payload, addressedTo: 'bwi' },
      }).path,
    ).toBe('payload.addressedTo');
    const lateConsent = {
      ...introductionAcceptedSample.payload.candidateConsent,
      givenAt: new Date('2026-03-19T00:00:00Z'),
    };
    expect(
      issueOf({
        ...introductionAcceptedSample,
        payload: { ...introductionAcceptedSample.payload, candidateConsent: lateConsent },
      }).path,
    ).toBe('payload.candidateConsent.givenAt');
  });

  it('requires an agreement type exactly when an agreement was signed', () => {
    const missing = {
      ...outcomeReportedSample,
      payload: { ...outcomeReportedSample.payload, agreementType: null },
    };
    expect(issueOf(missing)).toEqual({
      path: 'payload.agreementType',
      message: 'is required when an agreement was signed',
    });
    const stray = {
      ...outcomeReportedSample,
      payload: { ...outcomeReportedSample.payload, outcome: 'MEETING_HELD' },
    };
    expect(issueOf(stray).path).toBe('payload.agreementType');
  });

  it('says in the error message which event and field failed', () => {
    expect(() => validateOutgoing(withProfile({ sectors: [] }))).toThrow(
      'CooperationRequested is invalid at payload.profile.sectors: needs at least one sector',
    );
  });
});
