import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../support/agency-databases';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { reportNoCandidates } from '@passport/agency-service/handlers/commands/inbox';
import { createRequest } from '@passport/agency-service/handlers/commands/own-requests';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { applyEvent, concernsUs } from '@passport/agency-service/handlers/reactions/apply-event';
import { companiesPage, upsertCompanies } from '@passport/agency-service/store/directory';
import { appendFeed, feedAfter } from '@passport/agency-service/store/feed';
import { findInboxEntry } from '@passport/agency-service/store/inbox';
import { findResponse, saveResponse } from '@passport/agency-service/store/idempotency';
import { markPublished, unpublished } from '@passport/agency-service/store/outbox';
import { partnerReplies } from '@passport/agency-service/store/own-requests';
import { claimEvent } from '@passport/agency-service/store/processed-events';
import {
  appliedRotations,
  recordAppliedRotation,
  wasRotationApplied,
} from '@passport/agency-service/store/applied-rotations';
import { claimReminder } from '@passport/agency-service/store/reminders';
import { gearDistributor } from '../../fixtures/directory';
import { cooperationRequestedSample } from '../../fixtures/events';

const agencies = loadAgencies();
const agency = (id: string) => agencies.find((a) => a.id === id) as (typeof agencies)[number];

const firm = {
  name: 'Zahnradwerk Example GmbH',
  contact: {
    fullName: 'Erika Mustermann',
    role: null,
    email: 'erika@example.org',
    phone: null,
    preferredLanguage: 'de',
  },
};
const profile = {
  ...cooperationRequestedSample.payload.profile,
  deadline: new Date(Date.now() + 86_400_000),
};

describe.each(AGENCY_DATABASE_ENGINES)('agency store on %s', (_name, open) => {
  let db: Database;

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('writes a request and its outbox row together, and publishes them in order', async () => {
    const created = await db.transaction((tx) =>
      createRequest({ firm, profile }, handlerDeps(tx, agency('bwi'))),
    );
    expect(await partnerReplies(db, created.requestId)).toEqual(
      ['accio', 'aura', 'promos'].map((agencyId) =>
        expect.objectContaining({ agencyId, status: 'requested' }),
      ),
    );
    const queued = await unpublished(db, 10);
    expect(queued.map((row) => row.event.type)).toEqual(['CooperationRequested']);
    expect(queued[0]?.event.occurredAt).toBeInstanceOf(Date);
    await markPublished(
      db,
      queued.map((row) => row.id),
    );
    expect(await unpublished(db, 10)).toEqual([]);
  });

  it('marks exactly the rows it is given as published, whatever their number', async () => {
    for (let i = 0; i < 5; i += 1)
      await db.transaction((tx) => createRequest({ firm, profile }, handlerDeps(tx, agency('bwi'))));
    const ids = (await unpublished(db, 10)).map((row) => row.id);
    expect(ids).toHaveLength(5);
    await markPublished(db, [ids[0], ids[2], ids[3]] as number[]); // three, padded to four
    expect((await unpublished(db, 10)).map((row) => row.id)).toEqual([ids[1], ids[4]]);
  });

  it('commits a write without sync atomically and leaves durable commits as they were', async () => {
    const durability = async () =>
      db.dialect === 'sqlite'
        ? String((await db.query<{ synchronous: number }>('PRAGMA synchronous'))[0]?.synchronous)
        : String(
            (await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit'))[0]
              ?.synchronous_commit,
          );
    const before = await durability();
    await db.transaction((tx) => createRequest({ firm, profile }, handlerDeps(tx, agency('bwi'))));
    const [row] = await unpublished(db, 10);
    expect(
      await db.executeWithoutSync('UPDATE outbox SET published_at = ? WHERE id = ?', [1, row?.id ?? -1]),
    ).toBe(1);
    expect(await unpublished(db, 10)).toEqual([]);
    expect(await durability()).toBe(before);
    expect(before).toBe(db.dialect === 'sqlite' ? '2' : 'on'); // 2 is FULL
    // Inside a transaction it is part of that transaction and rolls back with it.
    const attempt = db.transaction(async (tx) => {
      await tx.executeWithoutSync('UPDATE outbox SET published_at = NULL');
      throw new Error('rolled back');
    });
    await expect(attempt).rejects.toThrow('rolled back');
    expect(await unpublished(db, 10)).toEqual([]);
  });

  it('leaves nothing half-written when a command fails midway', async () => {
    const attempt = db.transaction(async (tx) => {
      await createRequest({ firm, profile }, handlerDeps(tx, agency('bwi')));
      throw new Error('crash after the insert');
    });
    await expect(attempt).rejects.toThrow('crash after the insert');
    expect(await db.query('SELECT * FROM own_requests')).toEqual([]);
    expect(await unpublished(db, 10)).toEqual([]);
  });

  it('applies a partner request once, however often it is delivered, and acknowledges it once', async () => {
    const event = validateOutgoing({
      ...cooperationRequestedSample,
      eventId: randomUUID(),
      requestId: randomUUID(),
      payload: { profile },
    }) as PassportEvent;
    const deliver = () =>
      db.transaction(async (tx) => {
        const deps = handlerDeps(tx, agency('aura'));
        if (!(await concernsUs(event, deps, event.source))) return 'skipped';
        if (
          !(await claimEvent(tx, {
            eventId: event.eventId,
            eventType: event.type,
            topic: 't',
            partition: 0,
            offset: '1',
          }))
        )
          return 'duplicate';
        await applyEvent(event, deps, event.source);
        return 'applied';
      });
    expect(await deliver()).toBe('applied');
    expect(await deliver()).toBe('duplicate');
    expect((await findInboxEntry(db, event.requestId))?.status).toBe('acknowledged');
    expect((await unpublished(db, 10)).map((row) => row.event.type)).toEqual(['RequestAcknowledged']);

    await db.transaction((tx) =>
      reportNoCandidates(event.requestId, { reason: 'NO_MATCH' }, handlerDeps(tx, agency('aura'))),
    );
    expect((await findInboxEntry(db, event.requestId))?.status).toBe('answered');
  });

  it('ignores events that are not addressed to it', async () => {
    const event = validateOutgoing({
      ...cooperationRequestedSample,
      eventId: randomUUID(),
      payload: { profile },
    }) as PassportEvent;
    expect(await concernsUs(event, handlerDeps(db, agency('bwi')), event.source)).toBe(false); // its own event
    const notTargeted = validateOutgoing({
      ...cooperationRequestedSample,
      eventId: randomUUID(),
      payload: { profile: { ...profile, targetAgencies: ['aura'] } },
    }) as PassportEvent;
    expect(await concernsUs(notTargeted, handlerDeps(db, agency('promos')), notTargeted.source)).toBe(false);
  });

  it('lets one of two concurrent reminders of a request through', async () => {
    const requestId = randomUUID();
    const claims = await Promise.all(
      [1, 2].map(() => db.transaction((tx) => claimReminder(tx, requestId, Date.now()))),
    );
    expect(claims.sort()).toEqual([false, true]);
    expect(await db.transaction((tx) => claimReminder(tx, requestId, Date.now()))).toBe(false);
  });

  it('runs one transaction at a time, so notification cursors commit in their order', async () => {
    const steps: string[] = [];
    let firstHasBegun!: () => void;
    const begun = new Promise<void>((resolvePromise) => (firstHasBegun = resolvePromise));
    let letFirstCommit!: () => void;
    const held = new Promise<void>((resolvePromise) => (letFirstCommit = resolvePromise));
    const notifyIn = (tx: Database, requestId: string) =>
      appendFeed(tx, 'outcome.reported', requestId, {}, Date.now(), false);
    const first = db.transaction(async (tx) => {
      steps.push('first begins');
      await notifyIn(tx, 'first');
      firstHasBegun();
      await held;
      steps.push('first commits');
    });
    await begun;
    const second = db.transaction(async (tx) => {
      steps.push('second begins');
      await notifyIn(tx, 'second');
    });
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
    const stepsWhileFirstOpen = [...steps];
    letFirstCommit();
    await Promise.all([first, second]);
    expect(stepsWhileFirstOpen).toEqual(['first begins']);
    expect(steps).toEqual(['first begins', 'first commits', 'second begins']);
    const feed = await feedAfter(db, 0, 10);
    expect(feed.map((entry) => entry.requestId)).toEqual(['first', 'second']);
    expect(feed[0]!.cursor).toBeLessThan(feed[1]!.cursor);
  });

  it('stores idempotent responses under their key', async () => {
    await db.transaction((tx) =>
      saveResponse(tx, 'key-1', { fingerprint: 'f', statusCode: 201, body: { ok: true } }),
    );
    expect(await findResponse(db, 'key-1')).toEqual({
      fingerprint: 'f',
      statusCode: 201,
      body: { ok: true },
    });
    // better-sqlite3's errors may come from another jest realm (the addon is loaded once per worker), so
    // the message is checked rather than the class.
    const second = db.transaction((tx) =>
      saveResponse(tx, 'key-1', { fingerprint: 'g', statusCode: 201, body: {} }),
    );
    await expect(
      second.then(
        () => 'stored twice',
        (error: { message?: string }) => String(error?.message),
      ),
    ).resolves.toMatch(/UNIQUE constraint failed|duplicate key value/);
  });

  it('pages the directory in company id order inside the database, by offset and by keyset', async () => {
    const ids = ['c-05', 'c-01', 'c-04', 'c-02', 'c-03'];
    await db.transaction((tx) =>
      upsertCompanies(
        tx,
        ids.map((companyId) => ({ ...gearDistributor(), companyId })),
        Date.now(),
      ),
    );
    const idsOf = (companies: Array<{ companyId: string }>) => companies.map((c) => c.companyId);
    expect(idsOf(await companiesPage(db, { limit: 2, offset: 0 }))).toEqual(['c-01', 'c-02']);
    expect(idsOf(await companiesPage(db, { limit: 2, offset: 4 }))).toEqual(['c-05']);
    expect(idsOf(await companiesPage(db, { limit: 2, offset: 0, after: 'c-02' }))).toEqual(['c-03', 'c-04']);
    expect(idsOf(await companiesPage(db, { limit: 2, offset: 0, after: 'c-05' }))).toEqual([]);
    expect((await companiesPage(db, { limit: 1, offset: 0 }))[0]).toEqual({
      ...gearDistributor(),
      companyId: 'c-01',
    });
  });

  it('keeps each applied rotation statement once, in the order applied (migration 12)', async () => {
    const first = { agencyId: 'bwi', statement: '{"statement":1}', appliedAt: new Date(1_000) };
    const second = { agencyId: 'aura', statement: '{"statement":2}', appliedAt: new Date(2_000) };
    expect(await db.transaction((tx) => recordAppliedRotation(tx, first))).toBe(true);
    expect(await db.transaction((tx) => recordAppliedRotation(tx, second))).toBe(true);
    expect(
      await db.transaction((tx) => recordAppliedRotation(tx, { ...first, appliedAt: new Date(3_000) })),
    ).toBe(false);
    expect(await appliedRotations(db)).toEqual([first, second]);
    expect(await wasRotationApplied(db, second.statement)).toBe(true);
    expect(await wasRotationApplied(db, '{"statement":3}')).toBe(false);
  });
});
