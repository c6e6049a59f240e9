import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { queueClosure, relayOnNewDatabase } from '../../../../support/outbox';

/** A producer whose every send fails, as during a broker outage; counts the attempts. */
function failingProducer() {
  let attempts = 0;
  const producer = {
    sendBatch: async () => {
      attempts += 1;
      throw new Error('Connection error: broker gone');
    },
  } as unknown as Producer;
  return { producer, attempts: () => attempts };
}

describe('OutboxRelay backoff after a failed round', () => {
  it('is not cut short by the nudges of commands that keep arriving, only by stop()', async () => {
    const { producer, attempts } = failingProducer();
    const { db, relay } = await relayOnNewDatabase(producer, { pollMs: 50 });
    await queueClosure(db, '00000000-0000-4000-8000-000000000001');
    relay.start();
    // 400 ms of commands arriving every 5 ms, each nudging the relay.
    for (let elapsed = 0; elapsed < 400; elapsed += 5) {
      relay.nudge();
      await sleep(5);
    }
    // Rounds at 0, 100, 300 ms (backoff 100, 200, 400 ms); a nudge-driven relay would try about 80 times.
    expect(attempts()).toBeGreaterThanOrEqual(2);
    expect(attempts()).toBeLessThanOrEqual(4);
    const stopping = Date.now();
    await relay.stop();
    expect(Date.now() - stopping).toBeLessThan(300);
    await db.close();
  });
});
