import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { EventValidationError, MessageRefusedError } from '@passport/errors';
import type { Database } from '@passport/agency-service/db/database';
import { emit, handlerDeps } from '@passport/agency-service/handlers/deps';
import { markPublished, outboxHealth, unpublished } from '@passport/agency-service/store/outbox';
import {
  listQuarantined,
  quarantine,
  releaseFromQuarantine,
} from '@passport/agency-service/store/outbox-quarantine';
import { AGENCY_DATABASE_ENGINES, eachTestOnANewDatabase } from '../../../support/agency-databases';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as ReturnType<typeof loadAgencies>[number];

describe.each(AGENCY_DATABASE_ENGINES)('the outbox quarantine on %s', (_name, open) => {
  let db: Database;
  const queue = async (requestId: string) => {
    const event = await db.transaction((tx) =>
      emit(handlerDeps(tx, bwi), requestId, {
        type: 'CooperationRequestClosed',
        payload: { reason: 'WITHDRAWN', note: null },
      }),
    );
    const [row] = await db.query<{ id: number }>('SELECT id FROM outbox WHERE event_id = ?', [event.eventId]);
    return Number(row?.id);
  };

  eachTestOnANewDatabase(open, (opened) => (db = opened));

  it('skips a quarantined row and the later rows of its request, lists it, and puts it back', async () => {
    const [held, flowing] = [randomUUID(), randomUUID()];
    const first = await queue(held);
    const other = await queue(flowing);
    const behind = await queue(held);
    const refusal = new MessageRefusedError('passport.cooperation-requests.v1', 'MESSAGE_TOO_LARGE');
    await quarantine(db, first, refusal);

    expect((await unpublished(db, 10)).map((row) => row.id)).toEqual([other]);
    const listed = await listQuarantined(db, 10);
    expect(listed).toEqual([
      {
        id: first,
        eventId: expect.any(String),
        requestId: held,
        eventType: 'CooperationRequestClosed',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        quarantinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        code: 'PASSPORT_MESSAGE_REFUSED',
        message: refusal.message,
        heldBehind: 1,
      },
    ]);
    await markPublished(db, [other]);
    const health = await outboxHealth(db);
    expect(health).toEqual({ backlog: 2, quarantined: 1, oldestCreatedAt: expect.any(Number) });
    expect(Date.now() - (health.oldestCreatedAt as number)).toBeLessThan(60_000);

    expect(await releaseFromQuarantine(db, first)).toBe(true);
    expect(await releaseFromQuarantine(db, first)).toBe(false);
    expect((await unpublished(db, 10)).map((row) => row.id)).toEqual([first, behind]);
    expect(await listQuarantined(db, 10)).toEqual([]);
  });

  it("holds only the rows after the quarantined one: the request's earlier rows still go", async () => {
    const requestId = randomUUID();
    const before = await queue(requestId);
    const poisoned = await queue(requestId);
    await queue(requestId);
    await quarantine(
      db,
      poisoned,
      new EventValidationError('CooperationRequestClosed', [{ path: 'source', message: 'unknown agency' }]),
    );
    expect((await unpublished(db, 10)).map((row) => row.id)).toEqual([before]);
    const [listed] = await listQuarantined(db, 10);
    expect(listed).toMatchObject({ id: poisoned, code: 'PASSPORT_EVENT_INVALID', heldBehind: 1 });
  });

  it('keeps a long error message to a bounded length', async () => {
    const id = await queue(randomUUID());
    await quarantine(db, id, new MessageRefusedError('t', 'x'.repeat(5_000)));
    const [listed] = await listQuarantined(db, 10);
    expect(listed?.message.length).toBe(1_000);
  });

  it('leaves an empty outbox with no oldest row', async () => {
    expect(await outboxHealth(db)).toEqual({ backlog: 0, quarantined: 0, oldestCreatedAt: undefined });
  });
});
