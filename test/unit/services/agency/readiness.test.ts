import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { readinessProbe } from '@passport/agency-service/readiness';

const ALERT_MS = 120_000;
const healthyAdmin = { describeCluster: async () => ({}) } as unknown as Admin;

let db: Database;
let registry: Server;
let registryUrl: string;

/** A sent row whose first send was `ageMs` ago, confirmed or not. */
async function sentRow(eventId: string, ageMs: number, confirmed: boolean) {
  const at = Date.now() - ageMs;
  await db.execute(
    `INSERT INTO outbox (event_id, request_id, event, traceparent, created_at, published_at, first_published_at, confirmed_at)
     VALUES (?, 'r', '{}', 't', ?, ?, ?, ?)`,
    [eventId, at, at, at, confirmed ? at : null],
  );
}

/** A queued dead letter whose first send was `ageMs` ago, confirmed or not. */
async function sentDeadLetter(dlqId: string, ageMs: number, confirmed: boolean) {
  const at = Date.now() - ageMs;
  await db.execute(
    `INSERT INTO dead_letter_outbox (dlq_id, origin, headers, created_at, published_at, first_published_at, confirmed_at)
     VALUES (?, ?, '[]', ?, ?, ?, ?)`,
    [dlqId, `g t/0@${dlqId}`, at, at, at, confirmed ? at : null],
  );
}

const probe = () =>
  readinessProbe({
    db,
    admin: healthyAdmin,
    registry: { url: registryUrl },
    consumer: () => ({ ok: true }),
    unconfirmedAlertMs: ALERT_MS,
  })();

beforeAll(async () => {
  registry = createServer((_request, response) => response.end('[]'));
  await new Promise<void>((listening) => registry.listen(0, '127.0.0.1', listening));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((closed) => registry.close(closed));
});

beforeEach(async () => {
  db = openSqlite(':memory:');
  await migrate(db);
});

afterEach(async () => {
  await db.close();
});

describe('the publication readiness check', () => {
  it('passes while every event sent long ago has been seen and the unconfirmed ones are young', async () => {
    await sentRow('old-and-seen', 10 * ALERT_MS, true);
    await sentRow('young-unseen', ALERT_MS / 2, false);
    const checks = await probe();
    expect(checks.publication).toEqual({ ok: true });
    expect(Object.values(checks).every((check) => check.ok)).toBe(true);
  });

  it('fails, naming the count and the age, once an event sent longer ago than the threshold is unseen', async () => {
    await sentRow('young-unseen', ALERT_MS / 2, false);
    await sentRow('old-unseen', ALERT_MS + 30_000, false);
    const { publication } = await probe();
    expect(publication?.ok).toBe(false);
    expect(publication?.detail).toMatch(
      /^2 published event\(s\) not seen on their topic, the oldest first sent 15\d s ago$/,
    );
  });

  it('covers dead letters: one sent longer ago than the threshold and never read back fails it', async () => {
    await sentDeadLetter('seen', 10 * ALERT_MS, true);
    await sentDeadLetter('young', ALERT_MS / 2, false);
    expect((await probe()).publication).toEqual({ ok: true });

    await sentDeadLetter('lost', ALERT_MS + 30_000, false);
    await sentRow('old-unseen', ALERT_MS + 60_000, false);
    const { publication } = await probe();
    expect(publication?.ok).toBe(false);
    expect(publication?.detail).toMatch(
      /^1 published event\(s\) not seen on their topic, the oldest first sent 18\d s ago; 2 dead letter\(s\) not seen on the dead-letter topic, the oldest first sent 15\d s ago$/,
    );
  });
});
