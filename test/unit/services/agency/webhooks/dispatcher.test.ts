import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { appendFeed } from '@passport/agency-service/store/feed';
import { deliveryLog, type Delivery } from '@passport/agency-service/store/webhook-deliveries';
import {
  BATCH_SIZE,
  MAX_RETRY_INTERVAL_MS,
  retryDelay,
  WebhookDispatcher,
} from '@passport/agency-service/webhooks/dispatcher';

const HOUR = 60 * 60_000;

/** Closed after each test, passed or failed, so a failure cannot leave a server or database open. */
const openedByTest: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of openedByTest.splice(0).reverse()) await close();
});

/** A back office on 127.0.0.1 that answers each delivery with whatever status `answer` picks for it. */
async function backOffice(answer: (delivery: number) => number) {
  const received: number[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const delivery = Number(request.headers['x-passport-delivery']);
      received.push(delivery);
      response.writeHead(answer(delivery)).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  let open = true;
  const close = async () => {
    if (open) await new Promise((closed) => server.close(closed));
    open = false;
  };
  openedByTest.push(close);
  return { url: `http://127.0.0.1:${port}/hook`, received, close };
}

/** A dispatcher on a fresh in-memory database whose clock the test moves. */
async function setUp(url: string) {
  const db = openSqlite(':memory:');
  openedByTest.push(() => db.close());
  await migrate(db);
  const clock = { now: Date.UTC(2030, 0, 7, 9) };
  const dispatcher = new WebhookDispatcher({
    db,
    url,
    secret: 'a-long-shared-secret-of-the-back-office',
    logger: pino({ level: 'silent' }),
    pollMs: 60_000,
    clock: () => clock.now,
  });
  const notify = (requestId: string) =>
    db.transaction((tx) => appendFeed(tx, 'request.acknowledged', requestId, { requestId }, clock.now, true));
  return { db, clock, dispatcher, notify };
}

async function delivery(db: Database, cursor: number): Promise<Delivery> {
  const found = (await deliveryLog(db, 500)).find((d) => d.cursor === cursor);
  if (!found) throw new Error(`no delivery ${cursor}`);
  return found;
}

describe('retry delays', () => {
  it('double with each attempt, stay between half and all of the ceiling, and are capped at an hour', () => {
    expect(retryDelay(0, () => 0)).toBe(250);
    expect(retryDelay(0, () => 1)).toBe(500);
    expect(retryDelay(3, () => 0.5)).toBe(3000);
    expect(MAX_RETRY_INTERVAL_MS).toBe(HOUR);
    expect(retryDelay(30, () => 1)).toBe(HOUR);
    for (let attempts = 0; attempts < 2_000; attempts += 1)
      expect(retryDelay(attempts, () => 1)).toBeLessThanOrEqual(HOUR);
  });
});

describe('WebhookDispatcher', () => {
  it('keeps retrying a delivery, hourly at most, until the back office answers 2xx', async () => {
    let up = false;
    const receiver = await backOffice(() => (up ? 204 : 503));
    const { db, clock, dispatcher, notify } = await setUp(receiver.url);
    await notify('request-1');

    // A back office down for more than a day, retried as soon as each attempt falls due.
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      expect(await dispatcher.deliverDue()).toBe(1);
      const failing = await delivery(db, 1);
      expect(failing).toMatchObject({ status: 'pending', attempts: attempt, lastStatusCode: 503 });
      const interval = failing.nextAttemptAt.getTime() - clock.now;
      expect(interval).toBeLessThanOrEqual(HOUR);
      if (attempt > 20) expect(interval).toBeGreaterThanOrEqual(HOUR / 2);
      // Not due before its time: the back office is not hammered.
      clock.now = failing.nextAttemptAt.getTime() - 1;
      expect(await dispatcher.deliverDue()).toBe(0);
      clock.now += 1;
    }

    up = true;
    expect(await dispatcher.deliverDue()).toBe(1);
    expect(await delivery(db, 1)).toMatchObject({
      status: 'delivered',
      attempts: 31,
      lastStatusCode: 204,
      deliveredAt: new Date(clock.now),
    });
    clock.now += 10 * HOUR;
    expect(await dispatcher.deliverDue()).toBe(0);
    expect(receiver.received).toHaveLength(31);
  });

  it('records why an unreachable back office failed and keeps the delivery pending', async () => {
    const gone = await backOffice(() => 204);
    await gone.close();
    const { db, dispatcher, notify } = await setUp(gone.url);
    await notify('request-1');
    await dispatcher.deliverDue();
    const failing = await delivery(db, 1);
    expect(failing).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(failing.lastError).toMatch(/ECONNREFUSED/);
  });

  it('does not let many old failing deliveries starve a newer one', async () => {
    const oldOnes = BATCH_SIZE + 5;
    const receiver = await backOffice((cursor) => (cursor <= oldOnes ? 500 : 204));
    const { db, clock, dispatcher, notify } = await setUp(receiver.url);
    for (let i = 1; i <= oldOnes; i += 1) await notify(`old-${i}`);
    clock.now += 1_000;
    const newer = oldOnes + 1;
    await notify('newer');

    // Rounds that take longer than any retry interval: the old ones are all due again at every round.
    for (let round = 1; round <= 2; round += 1) {
      expect(await dispatcher.deliverDue()).toBe(BATCH_SIZE);
      clock.now += 2 * HOUR;
    }
    expect(await delivery(db, newer)).toMatchObject({ status: 'delivered', attempts: 1 });
    const oldAttempts = await Promise.all(
      Array.from({ length: oldOnes }, async (_, i) => (await delivery(db, i + 1)).attempts),
    );
    expect(Math.max(...oldAttempts)).toBe(2);
    expect(Math.min(...oldAttempts)).toBe(1);
  });

  it('retries deliveries an earlier version gave up on, once the database is migrated', async () => {
    const receiver = await backOffice(() => 204);
    const { db, dispatcher, notify } = await setUp(receiver.url);
    await notify('request-1');
    await db.execute("UPDATE webhook_deliveries SET status = 'failed', attempts = 12");
    // Back to the schema before the migration that revives them.
    await db.execute('DROP INDEX webhook_deliveries_due');
    await db.execute('DELETE FROM schema_migrations WHERE id = 4');
    expect(await migrate(db)).toEqual([4]);

    expect(await dispatcher.deliverDue()).toBe(1);
    expect(await delivery(db, 1)).toMatchObject({ status: 'delivered', attempts: 13 });
    expect(receiver.received).toEqual([1]);
  });
});
