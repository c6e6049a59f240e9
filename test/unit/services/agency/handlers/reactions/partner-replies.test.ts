import { randomUUID } from 'node:crypto';
import { loadAgencies, type Agency } from '@passport/config';
import { validateOutgoing, type CooperationRequested, type PassportEvent } from '@passport/events';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { createRequest } from '@passport/agency-service/handlers/commands/own-requests';
import { handlerDeps } from '@passport/agency-service/handlers/deps';
import {
  closeOwnRequest,
  partnerReplies,
  receivedCandidates,
} from '@passport/agency-service/store/own-requests';
import { deliver, type Delivery } from '../../../../../fixtures/exchange';
import {
  candidatesProposedSample,
  cooperationRequestedSample,
  noCandidatesFoundSample,
  requestAcknowledgedSample,
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

  /** A sample reply re-addressed to our request, from `source`, delivered as the consumer does. */
  async function receive(sample: object, source: string): Promise<Delivery> {
    const event = validateOutgoing({
      ...sample,
      eventId: randomUUID(),
      source,
      requestId,
      correlationId: requestId,
    }) as PassportEvent;
    return deliver({ agency: bwi, db }, event);
  }
  const statuses = async () => (await partnerReplies(db, requestId)).map((r) => [r.agencyId, r.status]);

  it('refuses replies from agencies the request was not sent to, and takes the target’s', async () => {
    expect(await receive(noCandidatesFoundSample, 'promos')).toBe('forbidden:reply-from-target');
    expect(await receive(candidatesProposedSample, 'aura')).toBe('forbidden:reply-from-target');
    expect(await receive(requestAcknowledgedSample, 'aura')).toBe('forbidden:reply-from-target');
    expect(await statuses()).toEqual([['accio', 'requested']]);
    expect(await receivedCandidates(db, requestId)).toEqual([]);
    expect(await receive(candidatesProposedSample, 'accio')).toBe('applied');
    expect(await statuses()).toEqual([['accio', 'candidates']]);
  });

  it('keeps the deadline rule: after closure answers are not taken, an acknowledgement still is', async () => {
    await db.transaction((tx) => closeOwnRequest(tx, requestId, 'EXPIRED', Date.now()));
    expect(await receive(candidatesProposedSample, 'accio')).toBe('not-ours');
    expect(await receive(noCandidatesFoundSample, 'accio')).toBe('not-ours');
    expect(await receive(noCandidatesFoundSample, 'promos')).toBe('forbidden:reply-from-target');
    expect(await receive(requestAcknowledgedSample, 'accio')).toBe('applied');
    expect(await statuses()).toEqual([['accio', 'acknowledged']]);
  });

  it('skips replies to requests that are not ours', async () => {
    requestId = randomUUID();
    expect(await receive(candidatesProposedSample, 'promos')).toBe('not-ours');
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
