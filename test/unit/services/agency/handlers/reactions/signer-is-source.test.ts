import { randomUUID } from 'node:crypto';
import { loadAgencies } from '@passport/config';
import { validateOutgoing, type PassportEvent } from '@passport/events';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { judgeEvent } from '@passport/agency-service/handlers/reactions/apply-event';
import { cooperationRequestedSample } from '../../../../../fixtures/events';

const accio = loadAgencies().find((a) => a.id === 'accio') as ReturnType<typeof loadAgencies>[number];

describe('judgeEvent and the verified signer', () => {
  let db: Database;
  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
  });
  afterEach(() => db.close());

  const request = (requestId = randomUUID()) =>
    validateOutgoing({
      ...cooperationRequestedSample,
      eventId: randomUUID(),
      requestId,
      correlationId: requestId,
      payload: {
        ...cooperationRequestedSample.payload,
        profile: {
          ...cooperationRequestedSample.payload.profile,
          deadline: new Date(Date.now() + 86_400_000),
        },
      },
    } as never) as PassportEvent;

  it('judges the event on its rules when the signer is its source', async () => {
    const event = request();
    expect((await judgeEvent(event, handlerDeps(db, accio), 'bwi')).kind).toBe('allowed');
  });

  it('refuses an event whose verified signer is not its source, before any rule', async () => {
    const event = request();
    expect(await judgeEvent(event, handlerDeps(db, accio), 'promos')).toEqual({
      kind: 'forbidden',
      rule: 'signer-is-source',
      reason: `CooperationRequested ${event.eventId} names bwi as its source but was signed by promos`,
    });
  });
});
