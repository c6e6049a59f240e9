import { kpisFromTopics, projectKpis } from '@passport/kpis';
import { validateOutgoing } from '@passport/events';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';

jest.setTimeout(90_000);

describe('KPIs from the topics', () => {
  let exchange: PrivateExchange;
  const stories = [freshStory(0), freshStory(40), freshStory(75)];

  beforeAll(async () => {
    exchange = await privateExchange();
    for (const story of stories) await exchange.publish(story);
  });
  afterAll(async () => exchange?.close());

  it('rebuilds exactly the same numbers on a replay from offset zero', async () => {
    const first = await kpisFromTopics(exchange.kafka, exchange.codec, exchange.topics);
    const again = await kpisFromTopics(exchange.kafka, exchange.codec, exchange.topics);
    expect(again).toEqual(first);
    expect(first).toEqual(projectKpis(stories.flat().map((event) => validateOutgoing(event))));
    expect(first.events).toBe(stories.flat().length);
    expect(first.overall.requestsSent).toBe(3);
    expect(first.overall.funnel.agreementSigned).toBe(3);
    expect(first.months.map((m) => m.month)).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
    ]);
  });
});
