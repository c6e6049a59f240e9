import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EvidenceChainChecker,
  loadOrCreateAgencyKeys,
  TrustList,
  trustListEntries,
  verifyEvidenceHead,
  type AgencyKeys,
  type EvidenceFailure,
  type EvidenceFields,
} from '@passport/trust';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { hashApiKey } from '@passport/agency-service/http/auth';
import { buildHttpServer } from '@passport/agency-service/http/server';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { appendEvidence } from '@passport/agency-service/store/evidence-log';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];
const apiKey = `test-${randomUUID()}`;

const received = (offset: number): EvidenceFields => ({
  direction: 'received',
  topic: 'passport.outcomes.v1',
  partition: 0,
  offset: String(offset),
  key: null,
  keySha256: null,
  eventId: `evt-${offset}`,
  eventType: null,
  source: null,
  signerKeyId: null,
  signature: null,
  signedPayload: null,
  valueSha256: null,
  verdict: 'PASSPORT_SIGNATURE_MISSING',
  recordedAt: new Date(0).toISOString(),
});

let keysDir: string;
let keys: AgencyKeys;

beforeAll(async () => {
  keysDir = await mkdtemp(path.join(tmpdir(), 'evidence-route-'));
  keys = await loadOrCreateAgencyKeys(path.join(keysDir, 'bwi'), 'bwi');
});
afterAll(() => rm(keysDir, { recursive: true, force: true }));

describe('GET /evidence/export and /evidence/head', () => {
  let db: Database;
  let app: FastifyInstance;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
    app = await buildHttpServer(
      {
        db,
        agency: bwi,
        apiKeyHashes: [hashApiKey(apiKey)],
        matcher: new Matcher({ mode: 'review', topN: 5, threshold: 0.5 }),
        candidateRefs: new CandidateRefs(bwi.id, 'unit-test-candidate-ref-secret-0123456789'),
        webhooks: false,
        afterCommit: () => undefined,
        readiness: async () => ({}),
        metricsText: async () => ({ contentType: 'text/plain', body: '' }),
        evidenceSigner: keys,
      },
      pino({ level: 'silent' }),
    );
  });

  afterEach(async () => {
    await app.close();
    await db.close();
  });

  it('needs the back-office API key', async () => {
    const response = await app.inject({ method: 'GET', url: '/evidence/export' });
    expect(response.statusCode).toBe(401);
  });

  it('streams the whole log as JSON lines across pages, and the chain verifies', async () => {
    await appendEvidence(
      db,
      Array.from({ length: 1203 }, (_, index) => received(index)),
    );
    const response = await app.inject({
      method: 'GET',
      url: '/evidence/export',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    const lines = response.body.trimEnd().split('\n');
    expect(lines).toHaveLength(1203);
    const failures: EvidenceFailure[] = [];
    const checker = new EvidenceChainChecker((failure) => failures.push(failure));
    lines.forEach((line, index) => checker.checkLine(index + 1, line));
    expect(checker.finish(lines.length)).toMatchObject({ entries: 1203, lastSeq: 1203 });
    expect(failures).toEqual([]);
  });

  it('answers an empty log with an empty body', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/evidence/export',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it("signs the log's head with the agency's key", async () => {
    await appendEvidence(db, [received(1), received(2)]);
    const response = await app.inject({
      method: 'GET',
      url: '/evidence/head',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode).toBe(200);
    const [generation] = keys.generations().map((one) => trustListEntries(one));
    const trustList = TrustList.fromDocument({
      version: 1,
      agencies: { bwi: { signingKeys: [generation!.signing], encryptionKeys: [generation!.encryption] } },
    });
    const head = verifyEvidenceHead(response.body, trustList);
    const [last] = await db.query<{ entry_hash: string }>(
      'SELECT entry_hash FROM evidence_log WHERE seq = 2',
    );
    expect(head).toMatchObject({ agencyId: 'bwi', seq: 2, entryHash: last?.entry_hash });
  });
});
