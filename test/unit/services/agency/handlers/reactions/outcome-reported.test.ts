import { randomUUID } from 'node:crypto';
import { outcomeReportedSample } from '../../../../../fixtures/events';
import { command, deliver, exchange, forged, storyUpToIntroduction } from '../../../../../fixtures/exchange';
import { reportOutcome } from '@passport/agency-service/handlers/commands/outcomes';
import { outcomesOf } from '@passport/agency-service/store/outcomes';

describe('OutcomeReported: only from the home agency or the partner party to the introduction', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const report = (source: string, candidateRef: string | null = story.candidateRef) =>
    forged(outcomeReportedSample, source, story.requestId, { candidateRef });
  const sources = async (db: typeof story.bwi.db) =>
    (await outcomesOf(db, story.requestId)).map((o) => o.source);

  it('on our own request: takes the introduced partner’s outcome, refuses anyone else’s', async () => {
    expect(await deliver(story.bwi, report('promos'))).toBe('forbidden:introduction-party-only');
    expect(await deliver(story.bwi, report('aura'))).toBe('forbidden:introduction-party-only');
    expect(await deliver(story.bwi, report('accio', null))).toBe('forbidden:introduction-party-only');
    expect(await sources(story.bwi.db)).toEqual([]);
    expect(await deliver(story.bwi, report('accio'))).toBe('applied');
    expect(await sources(story.bwi.db)).toEqual(['accio']);
  });

  it('in a partner’s inbox: takes the home agency’s, refuses a third party’s about our candidate', async () => {
    expect(await deliver(story.accio, report('promos'))).toBe('forbidden:introduction-party-only');
    expect(await deliver(story.accio, report('aura'))).toBe('forbidden:introduction-party-only');
    expect(await deliver(story.accio, report('bwi'))).toBe('applied');
    expect(await sources(story.accio.db)).toEqual(['bwi']);
  });

  it('skips outcomes it cannot check: another partner’s candidate, requests never seen', async () => {
    expect(await deliver(story.aura, report('accio'))).toBe('not-ours');
    expect(await deliver(story.aura, forged(outcomeReportedSample, 'promos', randomUUID()))).toBe('not-ours');
    expect(await sources(story.aura.db)).toEqual([]);
  });

  it('lets a partner’s back office report only on an introduction it was asked for, which home takes', async () => {
    const asAura = command(story.aura, (deps) =>
      reportOutcome(story.requestId, { candidateRef: story.candidateRef, outcome: 'MEETING_HELD' }, deps),
    );
    await expect(asAura).rejects.toMatchObject({ code: 'PASSPORT_CONFLICT' });
    const noCandidate = command(story.accio, (deps) =>
      reportOutcome(story.requestId, { outcome: 'MEETING_HELD' }, deps),
    );
    await expect(noCandidate).rejects.toMatchObject({ code: 'PASSPORT_CONFLICT' });
    await command(story.accio, (deps) =>
      reportOutcome(story.requestId, { candidateRef: story.candidateRef, outcome: 'MEETING_HELD' }, deps),
    );
    await exchange(story.accio, [story.bwi]);
    expect(await sources(story.bwi.db)).toEqual(['accio']);
  });
});
