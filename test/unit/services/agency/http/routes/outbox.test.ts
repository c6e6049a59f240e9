import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { MessageRefusedError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { emit, handlerDeps } from '@passport/agency-service/handlers/deps';
import { hashApiKey } from '@passport/agency-service/http/auth';
import { buildHttpServer } from '@passport/agency-service/http/server';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { unpublished } from '@passport/agency-service/store/outbox';
import { quarantine } from '@passport/agency-service/store/outbox-quarantine';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];
const apiKey = `test-${randomUUID()}`;
const authorization = `Bearer ${apiKey}`;

describe('the outbox quarantine API', () => {
  let db: Database;
  let app: FastifyInstance;
  let nudges = 0;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
    nudges = 0;
    app = await buildHttpServer(
      {
        db,
        agency: bwi,
        apiKeyHashes: [hashApiKey(apiKey)],
        matcher: new Matcher({ mode: 'review', topN: 5, threshold: 0.5 }),
        candidateRefs: new CandidateRefs(bwi.id, 'unit-test-candidate-ref-secret-0123456789'),
        webhooks: false,
        afterCommit: () => {
          nudges += 1;
        },
        readiness: async () => ({}),
        metricsText: async () => ({ contentType: 'text/plain', body: '' }),
      },
      pino({ level: 'silent' }),
    );
  });

  afterEach(async () => {
    await app.close();
    await db.close();
  });

  async function quarantinedRow(): Promise<number> {
    const event = await db.transaction((tx) =>
      emit(handlerDeps(tx, bwi), randomUUID(), {
        type: 'CooperationRequestClosed',
        payload: { reason: 'WITHDRAWN', note: null },
      }),
    );
    const [row] = await db.query<{ id: number }>('SELECT id FROM outbox WHERE event_id = ?', [event.eventId]);
    const id = Number(row?.id);
    await quarantine(
      db,
      id,
      new MessageRefusedError('passport.cooperation-requests.v1', 'MESSAGE_TOO_LARGE'),
    );
    return id;
  }

  it('needs the API key like every back-office route', async () => {
    const list = await app.inject({ method: 'GET', url: '/outbox/quarantine' });
    expect(list.statusCode).toBe(401);
    const retry = await app.inject({ method: 'POST', url: '/outbox/quarantine/1/retry' });
    expect(retry.statusCode).toBe(401);
    expect(retry.json().error.code).toBe('PASSPORT_UNAUTHENTICATED');
  });

  it('lists quarantined rows with their codes and puts one back for the relay', async () => {
    const id = await quarantinedRow();
    const list = await app.inject({ method: 'GET', url: '/outbox/quarantine', headers: { authorization } });
    expect(list.statusCode).toBe(200);
    expect(list.json().rows).toEqual([
      expect.objectContaining({
        id,
        code: 'PASSPORT_MESSAGE_REFUSED',
        eventType: 'CooperationRequestClosed',
      }),
    ]);
    expect(await unpublished(db, 10)).toEqual([]);

    const retry = await app.inject({
      method: 'POST',
      url: `/outbox/quarantine/${id}/retry`,
      headers: { authorization },
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ id, status: 'queued' });
    expect(nudges).toBe(1);
    expect((await unpublished(db, 10)).map((row) => row.id)).toEqual([id]);

    const again = await app.inject({
      method: 'POST',
      url: `/outbox/quarantine/${id}/retry`,
      headers: { authorization },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('PASSPORT_NOT_FOUND');
  });

  it('refuses an id that is not a row id, naming the field, however long it is', async () => {
    for (const bad of ['abc', '0', '1e3', '9'.repeat(99)]) {
      const answer = await app.inject({
        method: 'POST',
        url: `/outbox/quarantine/${bad}/retry`,
        headers: { authorization },
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({ code: 'PASSPORT_BODY_INVALID', issues: [{ path: 'id' }] });
    }
  });

  it('documents both routes, authenticated, in the OpenAPI document', async () => {
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(docs.paths['/outbox/quarantine']?.get?.security).toEqual([{ apiKey: [] }]);
    expect(docs.paths['/outbox/quarantine/{id}/retry']?.post?.security).toEqual([{ apiKey: [] }]);
  });
});
