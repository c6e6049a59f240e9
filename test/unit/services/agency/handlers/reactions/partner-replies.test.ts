import { randomUUID } from 'node:crypto';
import { loadAgencies, type Agency } from '@passport/config';
import { validateOutgoing, type CooperationRequested, type PassportEvent } from '@passport/events';
import type { Database } from '../../../../../../services/agency/src/db/database';
import { migrate } from '../../../../../../services/agency/src/db/migrations';
import { openSqlite } from '../../../../../../services/agency/src/db/sqlite';
import { createRequest } from '../../../../../../services/agency/src/handlers/commands/own-requests';
import { handlerDeps } from '../../../../../../services/agency/src/handlers/deps';
import { applyEvent, concernsUs } from '../../../../../../services/agency/src/handlers/reactions/apply-event';
import { partnerReplies } from '../../../../../../services/agency/src/store/own-requests';
import {
  candidatesProposedSample,
  cooperationRequestedSample,
  noCandidatesFoundSample,
} from '../../../../../fixtures/events';
import { sampleFirm } from '../../../../../fixtures/own-requests';

const bwi = loadAgencies().find((agency) => agency.id === 'bwi') as Agency;
const sampleProfile = (validateOutgoing(cooperationRequestedSample) as CooperationRequested).payload.profile;
describe("partners' replies to our own request", () => {
  let db: Database;
  let requestId: string;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db);
    const profile = {
      ...sampleProfile,
      targetAgencies: ['accio'],
      deadline: new Date(Date.now() + 86_400_000),
    };
    ({ requestId } = await db.transaction((tx) =>
      createRequest({ firm: sampleFirm, profile }, handlerDeps(tx, bwi)),
    ));
  });
  afterEach(async () => db.close());

  /** A sample reply re-addressed to our request, from `source`; applied if it concerns us. */
  async function receive(sample: object, source: string): Promise<boolean> {
    const event = validateOutgoing({
      ...sample,
      eventId: randomUUID(),
      source,
      requestId,
      correlationId: requestId,
    }) as PassportEvent;
    return db.transaction(async (tx) => {
      const deps = handlerDeps(tx, bwi);
      if (!(await concernsUs(event, deps))) return false;
      await applyEvent(event, deps);
      return true;
    });
  }
  const statuses = async () => (await partnerReplies(db, requestId)).map((r) => [r.agencyId, r.status]);

  it('takes replies only from the agencies the request was sent to', async () => {
    expect(await receive(noCandidatesFoundSample, 'promos')).toBe(false);
    expect(await receive(candidatesProposedSample, 'aura')).toBe(false);
    expect(await statuses()).toEqual([['accio', 'requested']]);
    expect(await receive(candidatesProposedSample, 'accio')).toBe(true);
    expect(await statuses()).toEqual([['accio', 'candidates']]);
  });

  it('moves a partner from "none found" to candidates, and never back', async () => {
    await receive(noCandidatesFoundSample, 'accio');
    expect(await statuses()).toEqual([['accio', 'none_found']]);
    await receive(candidatesProposedSample, 'accio');
    expect(await statuses()).toEqual([['accio', 'candidates']]);
    await receive(noCandidatesFoundSample, 'accio');
    expect(await statuses()).toEqual([['accio', 'candidates']]);
  });
});
