import { randomUUID } from 'node:crypto';
import { candidatesProposedSample, introductionRequestedSample } from '../../../../../fixtures/events';
import { proposeCandidates } from '@passport/agency-service/handlers/commands/inbox';
import {
  command,
  deliver,
  exchange,
  forged,
  sendRequest,
  storyUpToIntroduction,
} from '../../../../../fixtures/exchange';
import { findIntroduction } from '@passport/agency-service/store/introductions';
import { sampleFirm } from '../../../../../fixtures/own-requests';

describe('IntroductionRequested: only the home agency, only for a candidate we proposed for that request', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const ask = (source: string, payload: object = {}, requestId = story.requestId) =>
    forged(introductionRequestedSample, source, requestId, {
      addressedTo: 'accio',
      candidateRef: story.candidateRef,
      firmConsent: { givenAt: new Date(Date.now() - 60_000), method: 'WRITTEN', reference: null },
      ...payload,
    });
  const held = () => findIntroduction(story.accio.db, story.requestId, story.candidateRef, 'partner');

  it('holds the real introduction from the home agency', async () => {
    expect(await held()).toMatchObject({
      partnerAgency: 'bwi',
      status: 'requested',
      firmName: sampleFirm.name,
    });
  });

  it('refuses a third agency asking for our candidate, and keeps the real firm', async () => {
    expect(await deliver(story.accio, ask('promos', { firmName: 'Intruder Srl' }))).toBe(
      'forbidden:home-agency-only',
    );
    expect(await held()).toMatchObject({ partnerAgency: 'bwi', firmName: sampleFirm.name });
  });

  it('refuses an introduction for a request not in our inbox', async () => {
    expect(await deliver(story.accio, ask('promos', {}, randomUUID()))).toBe('forbidden:home-agency-only');
  });

  it('refuses a candidate we did not propose for that very request', async () => {
    expect(await deliver(story.accio, ask('bwi', { candidateRef: 'accio-0000000000000000' }))).toBe(
      'forbidden:our-candidate-only',
    );
  });

  it('refuses a candidate proposed for another request', async () => {
    const secondId = await sendRequest(story.bwi, [story.accio, story.aura]);
    expect(await deliver(story.accio, ask('bwi', {}, secondId))).toBe('forbidden:our-candidate-only');
  });

  it('never rewrites an introduction it holds with other content, but takes an identical resend', async () => {
    expect(await deliver(story.accio, ask('bwi', { firmName: 'Other GmbH' }))).toBe(
      'forbidden:introduction-not-rewritten',
    );
    expect((await held())?.firmName).toBe(sampleFirm.name);
    const resend = ask('bwi', { firmName: sampleFirm.name, firmContact: sampleFirm.contact });
    expect(await deliver(story.accio, resend)).toBe('applied');
    expect(await deliver(story.accio, resend)).toBe('duplicate');
    expect(await exchange(story.accio, [])).toEqual([]);
  });

  it('takes an introduction to a candidate staff proposed by hand, for that request only', async () => {
    const handPicked = { ...candidatesProposedSample.payload.candidates[0], candidateRef: 'aura-by-hand-1' };
    await command(story.aura, (deps) =>
      proposeCandidates(story.requestId, { candidates: [handPicked] }, deps),
    );
    const toAura = (requestId: string) =>
      forged(introductionRequestedSample, 'bwi', requestId, {
        addressedTo: 'aura',
        candidateRef: 'aura-by-hand-1',
        firmConsent: { givenAt: new Date(Date.now() - 60_000), method: 'WRITTEN', reference: null },
      });
    const secondId = await sendRequest(story.bwi, [story.aura]);
    expect(await deliver(story.aura, toAura(secondId))).toBe('forbidden:our-candidate-only');
    expect(await deliver(story.aura, toAura(story.requestId))).toBe('applied');
  });
});
