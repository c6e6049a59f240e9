import { TOPICS } from '@passport/config';
import { isPassportError } from '@passport/errors';
import { readRange, resolveSpans, type RangeMessage } from '@passport/streams';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';

describe('readRange against the real broker', () => {
  let exchange: PrivateExchange;
  let topic: string;

  beforeAll(async () => {
    exchange = await privateExchange(1);
    topic = exchange.topics.actual(TOPICS.cooperationRequests);
    // Three stories put nine messages on the single partition of the request topic.
    for (const days of [0, 10, 20]) await exchange.publish(freshStory(days));
  });
  afterAll(() => exchange?.close());

  async function spans() {
    const admin = exchange.kafka.admin();
    await admin.connect();
    try {
      return await resolveSpans(admin, topic);
    } finally {
      await admin.disconnect();
    }
  }

  it('resumes after a stalled consumer with the next offset: every message once, in order', async () => {
    const [span] = await spans();
    expect(span?.end).toBeGreaterThanOrEqual(3n);
    const offsets: string[] = [];
    // The first message takes longer than the stall limit, so the watchdog replaces the consumer
    // while that batch is still being delivered; the next one must start after what was delivered.
    const delivered = await readRange(
      exchange.kafka,
      topic,
      [span!],
      async (message: RangeMessage) => {
        if (offsets.length === 0) await new Promise((resolve) => setTimeout(resolve, 2_500));
        offsets.push(message.offset);
      },
      { stallMs: 1_000 },
    );
    const expected = Array.from({ length: Number(span!.end - span!.start) }, (_, i) =>
      String(span!.start + BigInt(i)),
    );
    expect(offsets).toEqual(expected);
    expect(delivered).toBe(expected.length);
  });

  it('fails with PASSPORT_READ_STALLED, naming what is unread, when the messages never come', async () => {
    const [span] = await spans();
    const beyond = { partition: 0, start: span!.end - 1n, end: span!.end + 5n };
    const seen: string[] = [];
    const error = await readRange(exchange.kafka, topic, [beyond], (m) => void seen.push(m.offset), {
      stallMs: 1_000,
    }).catch((caught: unknown) => caught);
    expect(isPassportError(error) && error.code).toBe('PASSPORT_READ_STALLED');
    expect((error as Error).message).toContain(`unread: 0@${span!.end}..${span!.end + 5n}`);
    // The message that does exist was delivered once, not once per consumer.
    expect(seen).toEqual([String(span!.end - 1n)]);
  });
});
