import { replyReminderSentSample } from '../../../../../fixtures/events';
import { deliver, forged, storyUpToIntroduction } from '../../../../../fixtures/exchange';
import { feedAfter } from '@passport/agency-service/store/feed';

describe('ReplyReminderSent: only from the request’s home agency', () => {
  let story: Awaited<ReturnType<typeof storyUpToIntroduction>>;
  beforeEach(async () => {
    story = await storyUpToIntroduction();
  });
  afterEach(async () => story.close());

  const remind = (source: string, addressedTo = 'aura') =>
    forged(replyReminderSentSample, source, story.requestId, {
      addressedTo,
      deadline: new Date(Date.now() + 86_400_000),
    });
  const reminders = async () =>
    (await feedAfter(story.aura.db, 0, 100)).filter((entry) => entry.kind === 'inbox.reminder').length;

  it('refuses a reminder from anyone but the home agency and tells the back office nothing', async () => {
    expect(await deliver(story.aura, remind('promos'))).toBe('forbidden:home-agency-only');
    expect(await deliver(story.aura, remind('accio'))).toBe('forbidden:home-agency-only');
    expect(await reminders()).toBe(0);
  });

  it('takes the home agency’s reminder, and skips one addressed to another partner', async () => {
    expect(await deliver(story.aura, remind('bwi', 'accio'))).toBe('not-ours');
    expect(await deliver(story.aura, remind('bwi'))).toBe('applied');
    expect(await reminders()).toBe(1);
  });
});
