import path from 'node:path';
import { eventFromJson } from '@passport/events';
import { applyRotationStatement, type AgencyKeys } from '@passport/trust';
import type { FastifyInstance } from 'fastify';
import type { Database } from '@passport/agency-service/db/database';
import { LiveTrustList } from '@passport/agency-service/live-trust-list';
import { appliedRotations } from '@passport/agency-service/store/applied-rotations';
import { agencyHttp, authorized, jsonHeaders } from '../../../../../support/agency-http';
import { agencyKeys, temporaryFolder, trustListOf } from '../../../../libs/trust/trust-fixtures';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keys: Record<string, AgencyKeys>;
let api: { app: FastifyInstance; db: Database };

beforeEach(async () => {
  folder = await temporaryFolder();
  keys = await agencyKeys(path.join(folder.dir, 'keys'), ['bwi', 'aura'], () => new Date());
  const trust = LiveTrustList.fixed(trustListOf(keys));
  api = await agencyHttp('bwi', { keys: { agencyKeys: keys.bwi!, trust } });
});
afterEach(async () => {
  await api.app.close();
  await api.db.close();
  await folder.cleanup();
});

const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
const rotate = (payload: unknown, headers: Record<string, string> = jsonHeaders) =>
  api.app.inject({ method: 'POST', url: '/keys/rotate', headers, payload: payload as object });

describe('POST /keys/rotate', () => {
  it('refuses a caller without the API key', async () => {
    const response = await rotate(
      { activeFrom: ahead(60_000), retirePreviousAt: ahead(120_000) },
      { 'content-type': 'application/json' },
    );
    expect(response.statusCode).toBe(401);
  });

  it.each([
    ['activeFrom', { retirePreviousAt: ahead(120_000) }],
    ['activeFrom', { activeFrom: 'tomorrow', retirePreviousAt: ahead(120_000) }],
    ['activeFrom', { activeFrom: ahead(-1_000), retirePreviousAt: ahead(120_000) }],
    ['retirePreviousAt', { activeFrom: ahead(60_000), retirePreviousAt: ahead(30_000) }],
    ['retirePreviousAt', { activeFrom: ahead(60_000) }],
    ['generation', { activeFrom: ahead(60_000), retirePreviousAt: ahead(120_000), generation: 3 }],
  ])('answers 400 naming %s for %j, and rotates nothing', async (field, body) => {
    const response = await rotate(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'PASSPORT_BODY_INVALID' } });
    expect(JSON.stringify(response.json())).toContain(field);
    expect(keys.bwi!.generations()).toHaveLength(1);
    expect(await appliedRotations(api.db)).toEqual([]);
  });

  it('creates the next generation and queues a statement that partners can apply', async () => {
    const base = trustListOf(keys);
    const response = await rotate({ activeFrom: ahead(60_000), retirePreviousAt: ahead(3_600_000) });
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result).toMatchObject({
      generation: 2,
      previousSigningKeyId: keys.bwi!.generations()[0]!.signingKeyId,
    });
    // Not signing yet: the current generation signs until activeFrom.
    expect(keys.bwi!.current().generation).toBe(1);

    const rows = await api.db.query<{ event: string }>('SELECT event FROM outbox');
    expect(rows).toHaveLength(1);
    const event = eventFromJson(rows[0]!.event) as {
      type: string;
      source: string;
      requestId: string;
      payload: { statement: string };
    };
    expect(event).toMatchObject({
      type: 'KeyRotationAnnounced',
      source: 'bwi',
      requestId: result.rotationId,
    });
    const partnerList = applyRotationStatement(base, event.payload.statement, new Date());
    expect(partnerList.signingKey('bwi', result.signingKeyId, new Date()).status).toBe('valid');
    expect(await appliedRotations(api.db)).toHaveLength(1);

    const view = await api.app.inject({ method: 'GET', url: '/keys', headers: authorized });
    expect(view.json().generations.map((g: { generation: number }) => g.generation)).toEqual([1, 2]);
    expect(view.json().trustList.agencies.bwi.signingKeys.map((k: { keyId: string }) => k.keyId)).toContain(
      result.signingKeyId,
    );
    expect(JSON.stringify(view.json())).not.toMatch(/PRIVATE|pkcs8/i);
  });

  it('answers 409 when the generation signing now was never announced, and rotates nothing', async () => {
    // The generation made here was never announced (as when a rotation's transaction failed); then
    // the key store's clock passes its activeFrom, so it is the one signing now, and no list has it.
    let skew = 0;
    const skewed = await agencyKeys(
      path.join(folder.dir, 'skewed'),
      ['bwi'],
      () => new Date(Date.now() + skew),
    );
    const trust = LiveTrustList.fixed(trustListOf({ bwi: skewed.bwi!, aura: keys.aura! }));
    await skewed.bwi!.rotate(new Date(Date.now() + 3_600_000));
    skew = 7_200_000;
    const skewedApi = await agencyHttp('bwi', { keys: { agencyKeys: skewed.bwi!, trust } });
    try {
      const response = await skewedApi.app.inject({
        method: 'POST',
        url: '/keys/rotate',
        headers: jsonHeaders,
        payload: { activeFrom: ahead(3 * 3_600_000), retirePreviousAt: ahead(4 * 3_600_000) },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.message).toMatch(/announcement never completed/);
      expect(skewed.bwi!.generations()).toHaveLength(2);
    } finally {
      await skewedApi.app.close();
      await skewedApi.db.close();
    }
  });

  it('answers 409 while an announced generation has not started signing', async () => {
    const body = { activeFrom: ahead(60_000), retirePreviousAt: ahead(3_600_000) };
    expect((await rotate(body)).statusCode).toBe(201);
    const again = await rotate({ activeFrom: ahead(90_000), retirePreviousAt: ahead(3_600_000) });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'PASSPORT_CONFLICT' } });
    expect(keys.bwi!.generations()).toHaveLength(2);
  });
});
