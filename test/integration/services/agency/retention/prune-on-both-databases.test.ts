import { loadAgencies } from '@passport/config';
import { validateOutgoing, type NeedsProfile, type PassportEvent } from '@passport/events';
import pino from 'pino';
import { AGENCY_DATABASE_ENGINES } from '../../../../support/agency-databases';
import type { Database } from '../../../../../services/agency/src/db/database';
import { migrate } from '../../../../../services/agency/src/db/migrations';
import { handlerDeps } from '../../../../../services/agency/src/handlers/deps';
import { concernsUs } from '../../../../../services/agency/src/handlers/reactions/apply-event';
import { createMetrics } from '../../../../../services/agency/src/metrics';
import {
  DAY_MS,
  retentionEnvironment,
  retentionPolicy,
} from '../../../../../services/agency/src/retention/policy';
import { pruneExpired } from '../../../../../services/agency/src/retention/prune';
import { RetentionJob } from '../../../../../services/agency/src/retention/retention-job';
import { appendFeed, feedAfter } from '../../../../../services/agency/src/store/feed';
import { findResponse, saveResponse } from '../../../../../services/agency/src/store/idempotency';
import { insertInboxEntry, setInboxStatus } from '../../../../../services/agency/src/store/inbox';
import {
  introductionsOf,
  upsertIntroduction,
  type Introduction,
} from '../../../../../services/agency/src/store/introductions';
import {
  addToOutbox,
  isInOutbox,
  markPublished,
  unpublished,
} from '../../../../../services/agency/src/store/outbox';
import {
  closeOwnRequest,
  findOwnRequest,
  insertOwnRequest,
} from '../../../../../services/agency/src/store/own-requests';
import { claimEvent } from '../../../../../services/agency/src/store/processed-events';
import { deliveryLog, recordAttempt } from '../../../../../services/agency/src/store/webhook-deliveries';
import {
  cooperationRequestedSample,
  introductionRequestedSample,
  SAMPLE_EVENTS,
} from '../../../../fixtures/events';

const agencies = loadAgencies();
const agency = (id: string) => agencies.find((a) => a.id === id) as (typeof agencies)[number];

const policy = retentionPolicy(retentionEnvironment.parse({}));
const LONG_AGO = Date.UTC(2030, 0, 1);
/** Past every default bound for rows written LONG_AGO, the longest (dedupe ids) included. */
const NOW = LONG_AGO + 1_866 * DAY_MS;
const RECENTLY = NOW - DAY_MS;

/** The firm of the sample introduction: a name and a contact person, what erasure must remove. */
const firm = {
  name: introductionRequestedSample.payload.firmName,
  contact: { ...introductionRequestedSample.payload.firmContact, role: null, phone: null },
};
const profile = {
  ...cooperationRequestedSample.payload.profile,
  deadline: new Date(NOW + 30 * DAY_MS),
} as NeedsProfile;

/** The store stamps some rows with Date.now(); this writes them as of `at`. */
async function asOf<T>(at: number, work: () => Promise<T>): Promise<T> {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(at);
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

const introduction = (requestId: string, role: Introduction['role']): Introduction => ({
  requestId,
  candidateRef: `${requestId}-candidate`,
  role,
  partnerAgency: 'accio',
  status: 'accepted',
  firmName: firm.name,
  firmContact: firm.contact,
  candidateName: 'Jordi Exemple',
  candidateContact: { fullName: 'Jordi Exemple', email: 'jordi@example.org' },
  reason: null,
});

describe.each(AGENCY_DATABASE_ENGINES)('retention on %s', (_name, open) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ db, cleanup } = await open());
    await migrate(db);
  });

  afterEach(async () => {
    await cleanup();
  });

  const count = async (table: string) =>
    Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

  it('deletes old bookkeeping rows in batches and keeps young ones and unpublished events', async () => {
    const event = (i: number) =>
      validateOutgoing({
        ...cooperationRequestedSample,
        eventId: `0b000000-0000-4000-8000-00000000000${i}`,
      }) as PassportEvent;
    for (const [i, at] of [
      [1, LONG_AGO],
      [2, LONG_AGO],
      [3, LONG_AGO],
      [4, RECENTLY],
    ] as const)
      await asOf(at, async () => {
        await db.transaction((tx) => addToOutbox(tx, event(i), '00-trace-01'));
        await markPublished(
          db,
          (await unpublished(db, 10)).map((row) => row.id),
        );
        await db.transaction(async (tx) => {
          await claimEvent(tx, {
            eventId: `dedupe-${i}`,
            eventType: 'X',
            topic: 't',
            partition: 0,
            offset: String(i),
          });
          await saveResponse(tx, `key-${i}`, { fingerprint: 'f', statusCode: 201, body: { i } });
        });
      });
    await asOf(LONG_AGO, () => db.transaction((tx) => addToOutbox(tx, event(5), '00-trace-01')));

    const counts = await pruneExpired(db, policy, NOW, 2);

    expect(counts).toMatchObject({ outbox: 3, processed_events: 3, idempotency_keys: 3 });
    expect((await unpublished(db, 10)).map((row) => row.eventId)).toEqual([event(5).eventId]);
    expect(await count('outbox')).toBe(2);
    expect(
      (await db.query<{ event_id: string }>('SELECT event_id FROM processed_events')).map((r) => r.event_id),
    ).toEqual(['dedupe-4']);
    expect(await findResponse(db, 'key-4')).toBeDefined();
    expect(await findResponse(db, 'key-1')).toBeUndefined();
    // A second pass finds nothing more.
    expect(Object.values(await pruneExpired(db, policy, NOW, 2)).every((n) => n === 0)).toBe(true);
  });

  it('keeps dedupe ids for as long as the longest topic retention, and a little more', async () => {
    await asOf(LONG_AGO, () =>
      db.transaction((tx) =>
        claimEvent(tx, { eventId: 'e', eventType: 'X', topic: 't', partition: 0, offset: '0' }),
      ),
    );
    await pruneExpired(db, policy, LONG_AGO + 1_825 * DAY_MS + 30 * DAY_MS);
    expect(await count('processed_events')).toBe(1);
  });

  it('prunes acknowledged deliveries and their feed entries, never a pending delivery or its entry', async () => {
    const notify = (requestId: string, at: number) =>
      db.transaction((tx) => appendFeed(tx, 'request.acknowledged', requestId, { requestId }, at, true));
    await notify('old-delivered', LONG_AGO); // cursor 1
    await notify('old-pending', LONG_AGO); // cursor 2
    await notify('young-delivered', RECENTLY); // cursor 3
    const acknowledged = { delivered: true, statusCode: 204, error: null, nextAttemptAt: 0 };
    await recordAttempt(db, 1, acknowledged, LONG_AGO);
    await recordAttempt(
      db,
      2,
      { delivered: false, statusCode: 503, error: null, nextAttemptAt: NOW },
      LONG_AGO,
    );
    await recordAttempt(db, 3, acknowledged, RECENTLY);

    const counts = await pruneExpired(db, policy, NOW, 1);

    expect(counts).toMatchObject({ webhook_deliveries: 1, feed: 1 });
    expect((await deliveryLog(db, 10)).map((d) => [d.cursor, d.status])).toEqual([
      [3, 'delivered'],
      [2, 'pending'],
    ]);
    expect((await feedAfter(db, 0, 10)).map((entry) => entry.requestId)).toEqual([
      'old-pending',
      'young-delivered',
    ]);
  });

  it('erases firms and contact persons of requests closed long ago, on both sides, and nothing else', async () => {
    await db.transaction(async (tx) => {
      for (const id of ['closed-long-ago', 'closed-recently', 'still-open']) {
        await insertOwnRequest(tx, id, firm, profile, LONG_AGO);
        await upsertIntroduction(tx, introduction(id, 'home'), LONG_AGO);
      }
      await closeOwnRequest(tx, 'closed-long-ago', 'FULFILLED', LONG_AGO);
      await closeOwnRequest(tx, 'closed-recently', 'FULFILLED', RECENTLY);
      for (const id of ['partner-closed', 'partner-open', 'partner-never-closed']) {
        await insertInboxEntry(
          tx,
          id,
          'aura',
          { ...profile, deadline: new Date(id === 'partner-never-closed' ? LONG_AGO : NOW + DAY_MS) },
          LONG_AGO,
        );
        await upsertIntroduction(tx, introduction(id, 'partner'), LONG_AGO);
      }
      await setInboxStatus(tx, 'partner-closed', 'closed', LONG_AGO);
    });

    const counts = await pruneExpired(db, policy, NOW, 1);

    expect(counts).toMatchObject({ own_requests: 1, introductions: 3 });
    const erased = await findOwnRequest(db, 'closed-long-ago');
    expect(erased).toMatchObject({ firm: null, personalDataErasedAt: new Date(NOW), status: 'closed' });
    const raw = await db.query<{ firm_name: string; firm_contact: string }>(
      "SELECT firm_name, firm_contact FROM own_requests WHERE request_id = 'closed-long-ago'",
    );
    expect(JSON.stringify(raw)).not.toMatch(/Zahnradwerk|Mustermann|@/);
    expect((await findOwnRequest(db, 'closed-recently'))?.firm).toEqual(firm);
    expect((await findOwnRequest(db, 'still-open'))?.firm).toEqual(firm);

    const personal = async (requestId: string, role: Introduction['role']) => {
      const [intro] = await introductionsOf(db, requestId, role);
      return intro && [intro.firmName, intro.firmContact, intro.candidateName, intro.candidateContact];
    };
    for (const [id, role] of [
      ['closed-long-ago', 'home'],
      ['partner-closed', 'partner'],
      ['partner-never-closed', 'partner'],
    ] as const) {
      expect(await personal(id, role)).toEqual([null, null, null, null]);
      expect((await introductionsOf(db, id, role))[0]?.status).toBe('accepted');
    }
    for (const [id, role] of [
      ['closed-recently', 'home'],
      ['still-open', 'home'],
      ['partner-open', 'partner'],
    ] as const)
      expect(await personal(id, role)).toEqual([firm.name, firm.contact, 'Jordi Exemple', expect.anything()]);
  });

  it('counts what it pruned in the metric, by table', async () => {
    await asOf(LONG_AGO, () =>
      db.transaction((tx) => saveResponse(tx, 'key', { fingerprint: 'f', statusCode: 201, body: {} })),
    );
    const metrics = createMetrics('bwi');
    const job = new RetentionJob({
      db,
      policy,
      logger: pino({ level: 'silent' }),
      metrics,
      clock: () => NOW,
    });
    await job.runOnce();
    const metric = await metrics.retentionPruned.get();
    expect(metric.values).toEqual([
      expect.objectContaining({ labels: { table: 'idempotency_keys' }, value: 1 }),
    ]);
  });

  it('lets our own events, once pruned from the outbox, come back as "not ours" by the full path', async () => {
    for (const sample of SAMPLE_EVENTS) {
      const event = validateOutgoing(sample) as PassportEvent;
      await asOf(LONG_AGO, async () => {
        await db.transaction((tx) => addToOutbox(tx, event, '00-trace-01'));
        await markPublished(
          db,
          (await unpublished(db, 10)).map((row) => row.id),
        );
      });
    }
    // The state that makes each kind of event concern an agency, were it from someone else.
    await db.transaction((tx) =>
      insertOwnRequest(tx, cooperationRequestedSample.requestId, firm, profile, NOW),
    );
    await pruneExpired(db, policy, NOW);

    for (const sample of SAMPLE_EVENTS) {
      const event = validateOutgoing(sample) as PassportEvent;
      expect(await isInOutbox(db, event.eventId)).toBe(false);
      expect(await concernsUs(event, handlerDeps(db, agency(event.source)))).toBe(false);
    }
  });
});
