import { loadAgencies, type Agency } from '@passport/config';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { sha256Hex } from '@passport/infra/system/api-keys';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import type { HttpContext } from '@passport/agency-service/http/context';
import { buildHttpServer } from '@passport/agency-service/http/server';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { cooperationRequestedSample } from '../fixtures/events';
import { sampleFirm } from '../fixtures/own-requests';

export const TEST_API_KEY = 'unit-test-api-key';
export const authorized = { authorization: `Bearer ${TEST_API_KEY}` };
export const jsonHeaders = { ...authorized, 'content-type': 'application/json' };

/**
 * One agency's back-office API on an in-memory database, driven with `inject`: no broker, no socket.
 * Commands land in the outbox, which nothing relays here.
 */
export async function agencyHttp(
  agencyId = 'bwi',
  extra: Pick<HttpContext, 'keys'> = {},
): Promise<{ app: FastifyInstance; db: Database }> {
  const agency = loadAgencies().find((a) => a.id === agencyId) as Agency;
  const db = openSqlite(':memory:');
  await migrate(db);
  const matcher = new Matcher({ mode: 'review', topN: 5, threshold: 0.5 });
  await matcher.reload(db);
  const app = await buildHttpServer(
    {
      db,
      matcher,
      candidateRefs: new CandidateRefs(agency.id, 'unit-test-candidate-ref-secret-0123456789'),
      webhooks: false,
      agency,
      apiKeyHashes: [sha256Hex(TEST_API_KEY)],
      afterCommit: () => undefined,
      readiness: async () => ({}),
      metricsText: async () => ({ contentType: 'text/plain', body: '' }),
      ...extra,
    },
    pino({ level: 'silent' }),
  );
  return { app, db };
}

/** A body for POST /requests that the API accepts, its deadline a month ahead. */
export function createRequestBody(): { firm: typeof sampleFirm; profile: Record<string, unknown> } {
  const { profile } = cooperationRequestedSample.payload;
  return {
    firm: sampleFirm,
    profile: { ...profile, deadline: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  };
}

/** The API for the tests of one describe block: built before them, closed (with its database) after. */
export function agencyHttpForTests(agencyId = 'bwi'): { readonly app: FastifyInstance } {
  let opened: { app: FastifyInstance; db: Database } | undefined;
  beforeAll(async () => {
    opened = await agencyHttp(agencyId);
  });
  afterAll(async () => {
    await opened?.app.close();
    await opened?.db.close();
  });
  return {
    get app() {
      if (!opened) throw new Error('the agency API is built in beforeAll');
      return opened.app;
    },
  };
}
