import { loadAgencies } from '@passport/config';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../../support/agency-databases';
import { firm, profile } from '../../../../support/retention-clock';
import { introductionAcceptedSample } from '../../../../fixtures/events';
import type { Database } from '@passport/agency-service/db/database';
import { eraseIntroduction, eraseRequest } from '@passport/agency-service/handlers/commands/erasure';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { applyEvent } from '@passport/agency-service/handlers/reactions/apply-event';
import { erasuresOf } from '@passport/agency-service/store/erasures';
import { appendFeed } from '@passport/agency-service/store/feed';
import { insertInboxEntry } from '@passport/agency-service/store/inbox';
import { saveIntroductionKey } from '@passport/agency-service/store/introduction-keys';
import {
  introductionsOf,
  upsertIntroduction,
  type Introduction,
} from '@passport/agency-service/store/introductions';
import {
  closeOwnRequest,
  findOwnRequest,
  insertOwnRequest,
} from '@passport/agency-service/store/own-requests';

const REQUEST = '0c000000-0000-4000-8000-000000000001';
const agency = (id: string) =>
  loadAgencies().find((a) => a.id === id) as NonNullable<ReturnType<typeof loadAgencies>[number]>;
const AT = Date.UTC(2031, 0, 1);

const introduction = (role: Introduction['role']): Introduction => ({
  requestId: REQUEST,
  candidateRef: 'accio-7',
  role,
  partnerAgency: role === 'home' ? 'accio' : 'bwi',
  status: 'accepted',
  firmName: firm.name,
  firmContact: firm.contact,
  candidateName: 'Jordi Exemple',
  candidateContact: { fullName: 'Jordi Exemple', email: 'jordi@example.org' },
  reason: null,
});

const key = (agencyId: string, candidateRef: string, keyId: string) => ({
  requestId: REQUEST,
  agencyId,
  candidateRef,
  side: 'own' as const,
  keyId,
  publicKey: 'P'.repeat(43),
  privateBlob: 'pik1.not-a-real-key',
});

/** Every text of the rows that may hold a copy: none may still name the firm or the candidate. */
async function copiesLeft(db: Database): Promise<string[]> {
  const rows = [
    ...(await db.query<Record<string, unknown>>('SELECT * FROM introductions')),
    ...(await db.query<Record<string, unknown>>('SELECT * FROM own_requests')),
    ...(await db.query<Record<string, unknown>>('SELECT * FROM feed')),
    ...(await db.query<Record<string, unknown>>('SELECT * FROM erasures')),
    ...(await db.query<Record<string, unknown>>('SELECT * FROM outbox')),
  ];
  const text = JSON.stringify(rows);
  return [firm.name, 'Jordi Exemple', 'jordi@example.org'].filter((value) => text.includes(value));
}

const erasedBy = (source: string, addressedTo = 'accio'): PassportEvent =>
  validateOutgoing({
    eventId: '0c000000-0000-4000-8000-0000000000e1',
    occurredAt: new Date(AT),
    source,
    requestId: REQUEST,
    causationId: null,
    correlationId: REQUEST,
    type: 'PersonalDataErased',
    payload: { addressedTo, candidateRef: 'accio-7' },
  });

describe.each(AGENCY_DATABASE_ENGINES)('erasure on request on %s', (_name, open) => {
  let db: Database;

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('home: erases the firm, the introduction, its feed and keys, queues the event and keeps a record', async () => {
    await db.transaction(async (tx) => {
      await insertOwnRequest(tx, REQUEST, firm, profile, AT);
      await upsertIntroduction(tx, introduction('home'), AT);
      await saveIntroductionKey(tx, key('accio', 'accio-7', 'H'.repeat(22)), AT);
      await appendFeed(tx, 'introduction.accepted', REQUEST, { candidateName: 'Jordi Exemple' }, AT, true);
      // A clear v1 introduction (fallback-to-clear), already read back from its topic.
      await tx.execute(
        'INSERT INTO outbox (event_id, request_id, event, traceparent, created_at, published_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ['clear-v1', REQUEST, JSON.stringify({ firmName: firm.name }), '00-x', AT, AT, AT],
      );
    });
    const deps = () => ({ ...handlerDeps(db, agency('bwi')), now: () => new Date(AT + 1) });
    await expect(db.transaction((tx) => eraseRequest(REQUEST, { ...deps(), db: tx }))).rejects.toMatchObject({
      code: 'PASSPORT_CONFLICT',
    });
    await closeOwnRequest(db, REQUEST, 'FULFILLED', AT);
    expect(await copiesLeft(db)).not.toEqual([]);

    const result = await db.transaction((tx) => eraseRequest(REQUEST, { ...deps(), db: tx }));

    expect(result).toMatchObject({ destroyedKeyIds: ['H'.repeat(22)], requestedBy: 'api' });
    expect(await copiesLeft(db)).toEqual([]);
    expect(await findOwnRequest(db, REQUEST)).toMatchObject({ firm: null, status: 'closed' });
    expect(await db.query('SELECT * FROM introduction_keys')).toEqual([]);
    const [queued] = await db.query<{ event_id: string; event_type: string }>('SELECT * FROM outbox');
    expect(queued).toMatchObject({ event_id: result.eventIds[0] });
    expect(await erasuresOf(db, REQUEST)).toEqual([
      expect.objectContaining({
        role: 'home',
        categories: ['firm', 'candidate', 'feed', 'outbox', 'introduction-keys'],
      }),
    ]);
    await expect(db.transaction((tx) => eraseRequest(REQUEST, { ...deps(), db: tx }))).rejects.toMatchObject({
      code: 'PASSPORT_CONFLICT',
    });
  });

  it('partner: applies the home agency erasure the same way, refuses a third agency one', async () => {
    await db.transaction(async (tx) => {
      await insertInboxEntry(tx, REQUEST, 'bwi', profile, AT);
      await upsertIntroduction(tx, introduction('partner'), AT);
      await saveIntroductionKey(tx, key('bwi', '', 'R'.repeat(22)), AT);
      await appendFeed(tx, 'introduction.requested', REQUEST, { firmName: firm.name }, AT, false);
    });
    const deps = (tx: Database) => ({ ...handlerDeps(tx, agency('accio')), now: () => new Date(AT + 1) });

    await expect(
      db.transaction((tx) => applyEvent(erasedBy('promos'), deps(tx), 'promos')),
    ).rejects.toMatchObject({ code: 'PASSPORT_EVENT_FORBIDDEN' });
    expect(await copiesLeft(db)).not.toEqual([]);
    expect(await erasuresOf(db, REQUEST)).toEqual([]);

    expect(await db.transaction((tx) => applyEvent(erasedBy('bwi'), deps(tx), 'bwi'))).toBe(true);

    expect(await copiesLeft(db)).toEqual([]);
    expect(await introductionsOf(db, REQUEST, 'partner')).toEqual([
      expect.objectContaining({ firmName: null, candidateName: null, status: 'accepted' }),
    ]);
    expect(await db.query('SELECT * FROM introduction_keys')).toEqual([]);
    expect(await erasuresOf(db, REQUEST)).toEqual([
      expect.objectContaining({ role: 'partner', requestedBy: 'bwi', destroyedKeyIds: ['R'.repeat(22)] }),
    ]);
  });

  it('partner: erases a candidate on request and tells the home agency, which erases its copy and key', async () => {
    await db.transaction(async (tx) => {
      await insertInboxEntry(tx, REQUEST, 'bwi', profile, AT);
      await upsertIntroduction(tx, introduction('partner'), AT);
      await saveIntroductionKey(tx, key('bwi', '', 'R'.repeat(22)), AT);
    });
    const accio = (tx: Database) => ({ ...handlerDeps(tx, agency('accio')), now: () => new Date(AT + 1) });
    await expect(
      db.transaction((tx) => eraseIntroduction(REQUEST, 'accio-unknown', accio(tx))),
    ).rejects.toMatchObject({ code: 'PASSPORT_NOT_FOUND' });

    const result = await db.transaction((tx) => eraseIntroduction(REQUEST, 'accio-7', accio(tx)));

    expect(result).toMatchObject({ role: 'partner', candidateRef: 'accio-7', requestedBy: 'api' });
    expect(await copiesLeft(db)).toEqual([]);
    // The per-request key stays: other candidates of the request may still be introduced.
    expect(await db.query('SELECT key_id FROM introduction_keys')).toEqual([{ key_id: 'R'.repeat(22) }]);
    const [queued] = await db.query<{ event: string }>('SELECT event FROM outbox');
    expect(JSON.parse(queued?.event ?? '{}')).toMatchObject({
      type: 'PersonalDataErased',
      payload: { addressedTo: 'bwi', candidateRef: 'accio-7' },
    });
    await expect(
      db.transaction((tx) => eraseIntroduction(REQUEST, 'accio-7', accio(tx))),
    ).rejects.toMatchObject({
      code: 'PASSPORT_CONFLICT',
    });
  });

  it('home: applies the erasure of the partner the introduction went to, refuses another agency one', async () => {
    await db.transaction(async (tx) => {
      await insertOwnRequest(tx, REQUEST, firm, profile, AT);
      await upsertIntroduction(tx, introduction('home'), AT);
      await saveIntroductionKey(tx, key('accio', 'accio-7', 'H'.repeat(22)), AT);
      await saveIntroductionKey(tx, key('accio', 'accio-8', 'I'.repeat(22)), AT);
    });
    const bwi = (tx: Database) => ({ ...handlerDeps(tx, agency('bwi')), now: () => new Date(AT + 1) });

    await expect(
      db.transaction((tx) => applyEvent(erasedBy('promos', 'bwi'), bwi(tx), 'promos')),
    ).rejects.toMatchObject({ code: 'PASSPORT_EVENT_FORBIDDEN' });
    expect(await erasuresOf(db, REQUEST)).toEqual([]);

    expect(await db.transaction((tx) => applyEvent(erasedBy('accio', 'bwi'), bwi(tx), 'accio'))).toBe(true);

    expect(await introductionsOf(db, REQUEST, 'home')).toEqual([
      expect.objectContaining({ firmName: null, candidateName: null }),
    ]);
    // Only this introduction's key; the firm of the request stays (it did not ask).
    expect(await db.query('SELECT key_id FROM introduction_keys')).toEqual([{ key_id: 'I'.repeat(22) }]);
    expect(await findOwnRequest(db, REQUEST)).toMatchObject({ firm: { name: firm.name } });
    expect(await erasuresOf(db, REQUEST)).toEqual([
      expect.objectContaining({ role: 'home', requestedBy: 'accio', destroyedKeyIds: ['H'.repeat(22)] }),
    ]);

    // The firm may still ask for its own erasure later: the partner's erasure was of one introduction.
    await closeOwnRequest(db, REQUEST, 'WITHDRAWN', AT);
    const result = await db.transaction((tx) => eraseRequest(REQUEST, bwi(tx)));
    expect(result.destroyedKeyIds).toEqual(['I'.repeat(22)]);
    expect(await copiesLeft(db)).toEqual([]);
  });

  it("home: after a partner's erasure of one candidate, a late answer is refused and other candidates' feed entries stay", async () => {
    await db.transaction(async (tx) => {
      await insertOwnRequest(tx, REQUEST, firm, profile, AT);
      await upsertIntroduction(
        tx,
        { ...introduction('home'), status: 'requested', candidateName: null, candidateContact: null },
        AT,
      );
      await appendFeed(
        tx,
        'introduction.requested',
        REQUEST,
        { candidateRef: 'accio-7', firmName: firm.name },
        AT,
        false,
      );
      await appendFeed(
        tx,
        'introduction.accepted',
        REQUEST,
        { candidateRef: 'accio-8', candidateName: 'Other Candidate SA' },
        AT,
        false,
      );
    });
    const bwi = (tx: Database) => ({ ...handlerDeps(tx, agency('bwi')), now: () => new Date(AT + 1) });

    expect(await db.transaction((tx) => applyEvent(erasedBy('accio', 'bwi'), bwi(tx), 'accio'))).toBe(true);

    const feed = await db.query<{ body: string }>('SELECT body FROM feed ORDER BY cursor_no');
    expect(feed.map((row) => JSON.parse(row.body))).toEqual([
      { requestId: REQUEST, personalDataErased: true },
      { candidateRef: 'accio-8', candidateName: 'Other Candidate SA' },
    ]);

    const lateAnswer = validateOutgoing({
      ...introductionAcceptedSample,
      eventId: '0c000000-0000-4000-8000-0000000000e2',
      requestId: REQUEST,
      correlationId: REQUEST,
      causationId: null,
      payload: { ...introductionAcceptedSample.payload, candidateRef: 'accio-7' },
    });
    await expect(db.transaction((tx) => applyEvent(lateAnswer, bwi(tx), 'accio'))).rejects.toMatchObject({
      code: 'PASSPORT_EVENT_FORBIDDEN',
      message: expect.stringContaining('erased on request'),
    });
    expect(await introductionsOf(db, REQUEST, 'home')).toEqual([
      expect.objectContaining({ status: 'requested', candidateName: null, candidateContact: null }),
    ]);
  });
});
