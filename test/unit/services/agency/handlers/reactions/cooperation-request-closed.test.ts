import { randomUUID } from 'node:crypto';
import { cooperationRequestClosedSample } from '../../../../../fixtures/events';
import { deliver, forged, storyUpToIntroduction } from '../../../../../fixtures/exchange';
import { findInboxEntry } from '@passport/agency-service/store/inbox';
import { findOwnRequest } from '@passport/agency-service/store/own-requests';

describe('CooperationRequestClosed: only from the request’s home agency', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const close = (source: string) => forged(cooperationRequestClosedSample, source, story.requestId);

  it('refuses a third agency or a fellow partner closing the request in a partner’s inbox', async () => {
    const before = (await findInboxEntry(story.accio.db, story.requestId))?.status;
    expect(await deliver(story.accio, close('promos'))).toBe('forbidden:home-agency-only');
    expect(await deliver(story.accio, close('aura'))).toBe('forbidden:home-agency-only');
    expect((await findInboxEntry(story.accio.db, story.requestId))?.status).toBe(before);
    expect(before).not.toBe('closed');
  });

  it('refuses anyone else closing one of our own requests', async () => {
    expect(await deliver(story.bwi, close('accio'))).toBe('forbidden:home-agency-only');
    expect((await findOwnRequest(story.bwi.db, story.requestId))?.status).toBe('open');
  });

  it('closes the inbox entry when the home agency says so, and skips requests we never had', async () => {
    expect(await deliver(story.accio, close('bwi'))).toBe('applied');
    expect((await findInboxEntry(story.accio.db, story.requestId))?.status).toBe('closed');
    expect(await deliver(story.accio, forged(cooperationRequestClosedSample, 'promos', randomUUID()))).toBe(
      'not-ours',
    );
  });
});
