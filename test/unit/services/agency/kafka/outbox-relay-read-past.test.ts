import type { Producer } from 'kafkajs';
import type { ReadPastProbe, TopicEnds } from '@passport/agency-service/kafka/read-past-probe';
import { confirmDelivered } from '@passport/agency-service/store/outbox-confirmation';
import { metricValue, queueClosure, relayOnNewDatabase } from '../../../../support/outbox';

const CONFIRM_TIMEOUT_MS = 30_000;
const request = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

/** A topic of one partition whose end grows with every send, and a consumer that reads only when told. */
function playedTopic() {
  const topic = { end: 0, committed: 0, snapshots: 0 };
  const probe: ReadPastProbe = {
    snapshot: async () => {
      topic.snapshots += 1;
      return new Map([['passport.cooperation-requests.v1:0', topic.end]]);
    },
    readPast: async (ends: TopicEnds) => [...ends.values()].every((end) => topic.committed >= end),
  };
  const sent: string[] = [];
  const producer = {
    sendBatch: async ({
      topicMessages,
    }: {
      topicMessages: Array<{ messages: Array<{ headers: Record<string, unknown> }> }>;
    }) => {
      for (const message of topicMessages.flatMap((t) => t.messages)) {
        sent.push(String(message.headers.ce_id));
        topic.end += 1;
      }
      return [];
    },
  } as unknown as Producer;
  return { topic, probe, producer, sent };
}

async function setUp() {
  const { topic, probe, producer, sent } = playedTopic();
  const clock = { now: Date.now() };
  const { db, relay, metrics } = await relayOnNewDatabase(producer, {
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    now: () => clock.now,
    readPast: probe,
  });
  return { db, relay, metrics, topic, sent, clock };
}

describe('overdue rows are resent only once the consumer has read past them', () => {
  it('a consumer that is merely behind gets no copies, however long it takes', async () => {
    const { db, relay, metrics, topic, sent, clock } = await setUp();
    const eventId = (await queueClosure(db, request(1))).eventId;
    await relay.publishOnce();
    expect(sent).toEqual([eventId]);
    // The consumer reads nothing for ten timeouts: behind, not lost.
    for (let pass = 0; pass < 10; pass += 1) {
      clock.now += CONFIRM_TIMEOUT_MS;
      await relay.publishOnce();
    }
    expect(sent).toEqual([eventId]);
    expect(topic.snapshots).toBe(1);
    // It catches up and sees the echo: nothing is ever resent.
    topic.committed = topic.end;
    await confirmDelivered(db, [eventId], clock.now);
    clock.now += CONFIRM_TIMEOUT_MS;
    await relay.publishOnce();
    expect(sent).toEqual([eventId]);
    expect(await metricValue(metrics, 'passport_outbox_resends_total')).toBe(0);
    await db.close();
  });

  it('a row the consumer has read past without seeing it was lost, and goes out again', async () => {
    const { db, relay, metrics, topic, sent, clock } = await setUp();
    const eventId = (await queueClosure(db, request(1))).eventId;
    await relay.publishOnce();
    topic.committed = topic.end; // read past it, yet no echo: the send never reached the topic
    clock.now += CONFIRM_TIMEOUT_MS + 5_000; // the store stamped the send with the real clock, a little later
    await relay.publishOnce(); // notes the topic's end now
    expect(sent).toEqual([eventId]);
    clock.now += 1_000;
    await relay.publishOnce(); // the consumer is at that end: the row is lost and resent
    expect(sent).toEqual([eventId, eventId]);
    expect(await metricValue(metrics, 'passport_outbox_resends_total')).toBe(1);
    await db.close();
  });

  it('an unanswered probe resends nothing and publishing goes on', async () => {
    const { topic, producer, sent } = playedTopic();
    const clock = { now: Date.now() };
    const failing: ReadPastProbe = {
      snapshot: async () => {
        throw new Error('broker gone');
      },
      readPast: async () => true,
    };
    const { db, relay } = await relayOnNewDatabase(producer, {
      confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
      now: () => clock.now,
      readPast: failing,
    });
    const first = (await queueClosure(db, request(1))).eventId;
    await relay.publishOnce();
    clock.now += CONFIRM_TIMEOUT_MS + 1;
    const second = (await queueClosure(db, request(2))).eventId;
    await relay.publishOnce();
    expect(sent).toEqual([first, second]);
    expect(topic.end).toBe(2);
    await db.close();
  });
});
