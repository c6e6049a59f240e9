import { randomUUID } from 'node:crypto';
import { loadAgencies, type Agency } from '@passport/config';
import { validateOutgoing, type CooperationRequested } from '@passport/events';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import { applyEvent } from '@passport/agency-service/handlers/reactions/apply-event';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { upsertCompanies } from '@passport/agency-service/store/directory';
import { findInboxEntry } from '@passport/agency-service/store/inbox';
import { unpublished } from '@passport/agency-service/store/outbox';
import { gearDistributor } from '../../../../../fixtures/directory';
import { cooperationRequestedSample } from '../../../../../fixtures/events';

const DAY = 86_400_000;
const REF_SECRET = 'a-test-secret-of-at-least-32-characters';
const bwi = loadAgencies().find((agency) => agency.id === 'bwi') as Agency;

/** The seed story's request, sent by AURA to BW_i, with the given deadline. */
function requestFromAura(deadline: Date): CooperationRequested {
  const requestId = randomUUID();
  return validateOutgoing({
    ...cooperationRequestedSample,
    eventId: randomUUID(),
    source: 'aura',
    requestId,
    correlationId: requestId,
    payload: {
      profile: { ...cooperationRequestedSample.payload.profile, targetAgencies: ['bwi'], deadline },
    },
  }) as CooperationRequested;
}

describe('automatic answers from the directory', () => {
  let db: Database;
  let matcher: Matcher;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
    await db.transaction((tx) => upsertCompanies(tx, [gearDistributor()], Date.now()));
    matcher = new Matcher({ mode: 'auto', topN: 5, threshold: 0.3 });
    await matcher.reload(db);
  });
  afterEach(async () => db.close());

  const apply = (event: CooperationRequested) =>
    db.transaction((tx) =>
      applyEvent(
        event,
        handlerDeps(tx, bwi, undefined, matcher, false, new CandidateRefs('bwi', REF_SECRET)),
        event.source,
      ),
    );
  const queuedTypes = async () => (await unpublished(db, 10)).map((row) => row.event.type);

  it('proposes the matching companies for a request still open', async () => {
    const request = requestFromAura(new Date(Date.now() + 30 * DAY));
    await apply(request);
    expect(await queuedTypes()).toEqual(['RequestAcknowledged', 'CandidatesProposed']);
    expect((await findInboxEntry(db, request.requestId))?.status).toBe('answered');
  });

  it('sends no answer for a request read after its deadline, which its home agency would refuse', async () => {
    const request = requestFromAura(new Date(Date.now() - DAY));
    await apply(request);
    expect(await queuedTypes()).toEqual(['RequestAcknowledged']);
    expect((await findInboxEntry(db, request.requestId))?.status).toBe('acknowledged');
  });
});
