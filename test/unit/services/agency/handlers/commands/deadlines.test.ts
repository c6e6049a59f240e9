import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { validateOutgoing, type CooperationRequested, type PassportEvent } from '@passport/events';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { remindUnanswered } from '@passport/agency-service/handlers/commands/deadlines';
import { createRequest } from '@passport/agency-service/handlers/commands/own-requests';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { applyEvent, judgeEvent } from '@passport/agency-service/handlers/reactions/apply-event';
import { feedAfter } from '@passport/agency-service/store/feed';
import { insertInboxEntry, setInboxStatus } from '@passport/agency-service/store/inbox';
import { unpublished } from '@passport/agency-service/store/outbox';
import { recordPartnerReply } from '@passport/agency-service/store/own-requests';
import { cooperationRequestedSample, replyReminderSentSample } from '../../../../../fixtures/events';

const HOUR = 3_600_000;
const agencies = loadAgencies();
const depsOf = (db: Database, id: string) =>
  handlerDeps(db, agencies.find((a) => a.id === id) as (typeof agencies)[number]);
const sampleProfile = (validateOutgoing(cooperationRequestedSample) as CooperationRequested).payload.profile;
const profile = () => ({ ...sampleProfile, deadline: new Date(Date.now() + HOUR) });
const firm = {
  name: 'Reminder Example GmbH',
  contact: {
    fullName: 'Rita Remind',
    role: null,
    email: 'rita@example.org',
    phone: null,
    preferredLanguage: 'de',
  },
};

describe('reminders before the deadline', () => {
  let db: Database;
  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
  });
  afterEach(async () => db.close());

  describe('at the home agency', () => {
    it('tells its back office once and sends one ReplyReminderSent per silent partner', async () => {
      const { requestId } = await db.transaction((tx) =>
        createRequest({ firm, profile: profile() }, depsOf(tx, 'bwi')),
      );
      await recordPartnerReply(db, requestId, 'aura', { status: 'none_found' }, Date.now());
      const before = (await unpublished(db, 10)).length;

      expect(await db.transaction((tx) => remindUnanswered(depsOf(tx, 'bwi'), 2 * HOUR))).toEqual([
        requestId,
      ]);
      expect(await db.transaction((tx) => remindUnanswered(depsOf(tx, 'bwi'), 2 * HOUR))).toEqual([]);

      const sent = (await unpublished(db, 10)).slice(before).map((row) => row.event);
      expect(sent).toEqual([
        expect.objectContaining({
          type: 'ReplyReminderSent',
          source: 'bwi',
          requestId,
          payload: expect.objectContaining({ addressedTo: 'accio' }),
        }),
        expect.objectContaining({
          type: 'ReplyReminderSent',
          source: 'bwi',
          requestId,
          payload: expect.objectContaining({ addressedTo: 'promos' }),
        }),
      ]);
      const feed = await feedAfter(db, 0, 10);
      expect(feed.map((e) => [e.kind, e.body])).toEqual([
        ['request.reminder', expect.objectContaining({ waitingFor: ['accio', 'promos'] })],
      ]);
    });

    it('waits until the deadline is within the window', async () => {
      await db.transaction((tx) => createRequest({ firm, profile: profile() }, depsOf(tx, 'bwi')));
      expect(await db.transaction((tx) => remindUnanswered(depsOf(tx, 'bwi'), HOUR / 2))).toEqual([]);
      expect((await unpublished(db, 10)).map((row) => row.event.type)).toEqual(['CooperationRequested']);
    });
  });

  describe('at a partner agency', () => {
    const requestId = randomUUID();
    const deadline = new Date(Date.now() + HOUR);
    const reminder = (change: { source?: string; addressedTo?: string } = {}) =>
      validateOutgoing({
        ...replyReminderSentSample,
        eventId: randomUUID(),
        requestId,
        correlationId: requestId,
        causationId: null,
        occurredAt: new Date(),
        source: change.source ?? 'bwi',
        payload: { addressedTo: change.addressedTo ?? 'promos', deadline },
      }) as PassportEvent;
    const receive = (event: PassportEvent) =>
      db.transaction(async (tx) => {
        const deps = depsOf(tx, 'promos');
        const verdict = await judgeEvent(event, deps, event.source);
        if (verdict.kind === 'forbidden') return 'forbidden';
        if (verdict.kind !== 'allowed') return 'skipped';
        await applyEvent(event, deps, event.source);
        return 'applied';
      });
    const checkOwnDeadlines = () => db.transaction((tx) => remindUnanswered(depsOf(tx, 'promos'), 2 * HOUR));
    const reminders = async () => (await feedAfter(db, 0, 10)).filter((e) => e.kind === 'inbox.reminder');

    beforeEach(async () => {
      await insertInboxEntry(db, requestId, 'bwi', { ...profile(), deadline }, Date.now());
      await setInboxStatus(db, requestId, 'acknowledged', Date.now());
    });

    it("hears the home agency's reminder once, and its own deadline check then stays quiet", async () => {
      expect(await receive(reminder())).toBe('applied');
      expect(await checkOwnDeadlines()).toEqual([]);
      expect((await reminders()).map((e) => e.body)).toEqual([
        { homeAgency: 'bwi', deadline: deadline.toISOString(), origin: 'home-agency' },
      ]);
    });

    it("falls back on its own deadline check, and the home agency's reminder then adds nothing", async () => {
      expect(await checkOwnDeadlines()).toEqual([requestId]);
      expect(await receive(reminder())).toBe('applied');
      expect((await reminders()).map((e) => e.body)).toEqual([
        expect.objectContaining({ origin: 'own-deadline-check' }),
      ]);
    });

    it('ignores reminders addressed to another partner, refuses those sent by another agency than the home one', async () => {
      expect(await receive(reminder({ addressedTo: 'accio' }))).toBe('skipped');
      expect(await receive(reminder({ source: 'aura' }))).toBe('forbidden');
      expect(await reminders()).toEqual([]);
    });

    it('is not reminded of a request it has answered already', async () => {
      await setInboxStatus(db, requestId, 'answered', Date.now());
      expect(await receive(reminder())).toBe('applied');
      expect(await checkOwnDeadlines()).toEqual([]);
      expect(await reminders()).toEqual([]);
    });

    it('says nothing of a reminder read after the deadline, e.g. on a replay', async () => {
      const late = { ...depsOf(db, 'promos'), now: () => new Date(deadline.getTime() + 1) };
      const event = reminder();
      await applyEvent(event, late, event.source);
      expect(await reminders()).toEqual([]);
    });
  });
});
