import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import type { Database } from '../../../../services/agency/src/db/database';
import { migrate } from '../../../../services/agency/src/db/migrations';
import { openSqlite } from '../../../../services/agency/src/db/sqlite';
import { readinessProbe } from '../../../../services/agency/src/readiness';

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

const probe = () =>
  readinessProbe({
    db,
    admin: healthyAdmin,
    registryUrl,
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
});
