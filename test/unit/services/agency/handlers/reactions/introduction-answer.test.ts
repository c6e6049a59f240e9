import { introductionAcceptedSample, introductionDeclinedSample } from '../../../../../fixtures/events';
import { deliver, forged, storyUpToIntroduction } from '../../../../../fixtures/exchange';
import { findIntroduction } from '@passport/agency-service/store/introductions';

describe('IntroductionAccepted / IntroductionDeclined: only the partner asked, only while requested', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const accept = (source: string, candidateName: string, candidateRef = story.candidateRef) =>
    forged(introductionAcceptedSample, source, story.requestId, {
      addressedTo: 'bwi',
      candidateRef,
      candidateName,
      candidateConsent: { givenAt: new Date(Date.now() - 60_000), method: 'WRITTEN', reference: null },
    });
  const decline = (source: string) =>
    forged(introductionDeclinedSample, source, story.requestId, {
      addressedTo: 'bwi',
      candidateRef: story.candidateRef,
    });
  const held = () => findIntroduction(story.bwi.db, story.requestId, story.candidateRef, 'home');

  it('refuses an answer from an agency the introduction was not addressed to', async () => {
    expect(await deliver(story.bwi, accept('promos', 'Impostor SpA'))).toBe(
      'forbidden:introduction-partner-only',
    );
    expect(await deliver(story.bwi, decline('aura'))).toBe('forbidden:introduction-partner-only');
    expect(await held()).toMatchObject({ partnerAgency: 'accio', status: 'requested', candidateName: null });
  });

  it('refuses an answer to an introduction we never requested', async () => {
    expect(await deliver(story.bwi, accept('accio', 'X', 'accio-ffffffffffffffff'))).toBe(
      'forbidden:introduction-requested-first',
    );
  });

  it('takes the partner’s answer once and never overwrites a finished introduction', async () => {
    const real = accept('accio', 'Transmisiones Ejemplo SL');
    expect(await deliver(story.bwi, real)).toBe('applied');
    expect(await deliver(story.bwi, real)).toBe('duplicate');
    expect(await deliver(story.bwi, accept('accio', 'Renamed SL'))).toBe('forbidden:introduction-finished');
    expect(await deliver(story.bwi, decline('accio'))).toBe('forbidden:introduction-finished');
    expect(await deliver(story.bwi, accept('promos', 'Impostor SpA'))).toBe(
      'forbidden:introduction-partner-only',
    );
    expect(await held()).toMatchObject({ status: 'accepted', candidateName: 'Transmisiones Ejemplo SL' });
  });

  it('skips answers addressed to another agency', async () => {
    const toAura = forged(introductionDeclinedSample, 'promos', story.requestId, { addressedTo: 'aura' });
    expect(await deliver(story.bwi, toAura)).toBe('not-ours');
  });
});
