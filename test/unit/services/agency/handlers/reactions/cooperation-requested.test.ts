import { cooperationRequestClosedSample, cooperationRequestedSample } from '../../../../../fixtures/events';
import { eventFromJson, type PassportEvent } from '@passport/events';
import { deliver, forged, storyUpToIntroduction } from '../../../../../fixtures/exchange';
import { findInboxEntry } from '@passport/agency-service/store/inbox';
import { unpublished } from '@passport/agency-service/store/outbox';

describe('CooperationRequested: a request id names one request for good', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const requestAgain = (source: string, targetAgencies: string[]) =>
    forged(cooperationRequestedSample, source, story.requestId, {
      profile: {
        ...cooperationRequestedSample.payload.profile,
        targetAgencies,
        deadline: new Date(Date.now() + 86_400_000),
      },
    });

  it('refuses a second request with a known id: the closed entry stays closed, nothing is re-answered', async () => {
    await deliver(story.accio, forged(cooperationRequestClosedSample, 'bwi', story.requestId));
    expect(await deliver(story.accio, requestAgain('promos', ['accio']))).toBe('forbidden:request-id-unique');
    expect(await deliver(story.accio, requestAgain('bwi', ['accio', 'aura']))).toBe(
      'forbidden:request-id-unique',
    );
    expect(await findInboxEntry(story.accio.db, story.requestId)).toMatchObject({
      homeAgency: 'bwi',
      status: 'closed',
    });
    expect(await unpublished(story.accio.db, 10)).toEqual([]);
  });

  it('refuses a request posing as one of our own', async () => {
    expect(await deliver(story.bwi, requestAgain('promos', ['bwi']))).toBe('forbidden:request-id-unique');
    expect(await unpublished(story.bwi.db, 10)).toEqual([]);
  });

  it('treats an exact redelivery of the original request as a harmless duplicate', async () => {
    const [row] = await story.bwi.db.query<{ event: string }>(
      'SELECT event FROM outbox WHERE request_id = ? ORDER BY id LIMIT 1',
      [story.requestId],
    );
    const original = eventFromJson(row?.event ?? '') as PassportEvent;
    expect(original.type).toBe('CooperationRequested');
    expect(await deliver(story.accio, original)).toBe('duplicate');
    expect(await unpublished(story.accio.db, 10)).toEqual([]);
  });
});
