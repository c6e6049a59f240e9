import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, type PassportEvent } from '@passport/events';
import { recordTopic } from '@passport/testing';
import { logLevel } from 'kafkajs';
import { verify } from '@passport/agency-service/webhooks/signature';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { adminConnection } from '../support/cluster';

const SECRET = 'webhook-secret-for-the-e2e-test';
const FAILURES_BEFORE_SUCCESS = 2;

/** A back office that verifies signatures and fails each delivery twice before accepting it. */
function flakyReceiver() {
  const attempts = new Map<string, number>();
  const accepted: Array<{ id: string; kind: string }> = [];
  let badSignatures = 0;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      if (
        !verify(
          SECRET,
          {
            delivery: String(request.headers['x-passport-delivery']),
            kind: String(request.headers['x-passport-kind']),
            body: raw,
          },
          request.headers['x-passport-signature'] as string | undefined,
          Math.floor(Date.now() / 1000),
        )
      ) {
        badSignatures += 1;
        response.writeHead(401).end();
        return;
      }
      const id = String(request.headers['x-passport-delivery']);
      const seen = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, seen);
      if (seen <= FAILURES_BEFORE_SUCCESS) {
        response.writeHead(503).end();
        return;
      }
      if (seen === FAILURES_BEFORE_SUCCESS + 1)
        accepted.push({ id, kind: (JSON.parse(raw) as { kind: string }).kind });
      response.writeHead(204).end();
    });
  });
  return { server, attempts, accepted, badSignatures: () => badSignatures };
}

/** What any agency reads on the reminders topic about one request, with the message's CloudEvents source. */
async function remindersOnTheTopic(requestId: string): Promise<Array<PassportEvent & { ceSource?: string }>> {
  const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS), [
    TOPICS.requestReminders,
  ]);
  const kafka = createKafka(adminConnection(), { clientId: 'e2e-reminders', logLevel: logLevel.NOTHING });
  const { records } = await recordTopic({ kafka, codec, topic: TOPICS.requestReminders });
  return records
    .filter((record) => record.event.requestId === requestId)
    .map((record) => ({ ...record.event, ceSource: record.headers.ce_source }));
}

/**
 * An agency's whole feed, page by page (the API gives 500 at most per call): on a cluster with history
 * the services replay older requests, and their entries may fill the first page.
 */
async function wholeFeed<Entry extends { cursor: number }>(
  system: AgencySystem,
  agency: string,
): Promise<{ events: Entry[]; next: number }> {
  const events: Entry[] = [];
  let after = 0;
  for (;;) {
    const page = (
      await system.call<{ events: Entry[]; next: number }>(agency, 'GET', `/events?after=${after}&limit=500`)
    ).body;
    if (page.events.length === 0) return { events, next: after };
    events.push(...page.events);
    after = page.next;
  }
}

describe('webhooks and the pull feed', () => {
  let system: AgencySystem;
  const receiver = flakyReceiver();

  beforeAll(async () => {
    await new Promise<void>((resolvePromise) => receiver.server.listen(0, '127.0.0.1', resolvePromise));
    const { port } = receiver.server.address() as AddressInfo;
    system = await startAgencySystem(28_141, {
      env: {
        bwi: {
          WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
          WEBHOOK_SECRET: SECRET,
          DEADLINE_CHECK_MS: '300',
        },
        // aura checks its own deadlines too, racing the home agency's reminder event; promos checks
        // too rarely to matter here, so its reminder can only come from the event.
        aura: { DEADLINE_CHECK_MS: '300' },
        promos: { DEADLINE_CHECK_MS: '3600000' },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await new Promise((resolvePromise) => receiver.server.close(resolvePromise));
  }, 60_000);

  it('delivers every notification once, signed, after retries, and the pull API lists the same ones', async () => {
    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', {
      firm: {
        name: 'Hook Example GmbH',
        contact: {
          fullName: 'Hanna Hook',
          role: null,
          email: 'hanna@hook.example',
          phone: null,
          preferredLanguage: 'de',
        },
      },
      profile: {
        kind: 'PARTNER',
        title: 'Partner for sensor modules',
        summary: 'A sensor maker seeks partners.',
        description: 'Capacitive sensor modules.',
        textLanguage: 'en',
        sectors: [{ code: '26.51', revision: 'REV_2' }],
        partnershipTypes: ['TECHNICAL_COOPERATION'],
        targetAgencies: ['aura', 'accio', 'promos'],
        workingLanguages: ['en'],
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        firm: { sizeBand: 'SMALL', nutsRegion: 'DE11', exportExperience: 'NONE' },
      },
    });
    await eventually(async () => {
      const answered = await system.call('aura', 'POST', `/inbox/${created.body.requestId}/no-candidates`, {
        reason: 'OUT_OF_SCOPE',
      });
      return answered.status === 201 ? true : undefined;
    }, "aura's answer once the request reached it");

    type Feed = { events: Array<{ cursor: number; kind: string; requestId: string }>; next: number };
    const ours = await eventually(async () => {
      const feed = (await wholeFeed<Feed['events'][number]>(system, 'bwi')).events;
      const mine = feed.filter((e) => e.requestId === created.body.requestId);
      return mine.length === 4 ? mine : undefined;
    }, 'three acknowledgements and one "none found" in the feed');
    expect(ours.map((e) => e.kind).sort()).toEqual([
      'request.acknowledged',
      'request.acknowledged',
      'request.acknowledged',
      'request.no_candidates',
    ]);
    // The fresh service also replays older requests addressed to bwi: every feed entry gets delivered.
    const feed = await eventually(
      async () => {
        const all = await wholeFeed<Feed['events'][number]>(system, 'bwi');
        return receiver.accepted.length === all.events.length ? all : undefined;
      },
      'every feed entry delivered',
      60_000,
    );
    expect(receiver.accepted.map((a) => a.id).sort()).toEqual(
      feed.events.map((e) => String(e.cursor)).sort(),
    );
    expect(new Set(receiver.accepted.map((a) => a.id)).size).toBe(receiver.accepted.length);
    expect(receiver.badSignatures()).toBe(0);
    expect([...receiver.attempts.values()].every((n) => n === FAILURES_BEFORE_SUCCESS + 1)).toBe(true);

    const log = await system.call<
      Array<{ cursor: number; status: string; attempts: number; lastStatusCode: number }>
    >('bwi', 'GET', '/webhooks/deliveries');
    expect(
      log.body.filter((d) => ours.some((e) => e.cursor === d.cursor)).sort((a, b) => a.cursor - b.cursor),
    ).toEqual(
      ours.map((e) =>
        expect.objectContaining({ cursor: e.cursor, status: 'delivered', attempts: 3, lastStatusCode: 204 }),
      ),
    );
    const pending = await system.call<unknown[]>('bwi', 'GET', '/webhooks/deliveries?status=pending');
    expect(pending.status).toBe(200);
    const misspelt = await system.call<{ error: { issues: Array<{ path: string }> } }>(
      'bwi',
      'GET',
      '/webhooks/deliveries?status=failed',
    );
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.issues.map((issue) => issue.path)).toEqual(['status']);
    const later = await system.call<{ events: unknown[]; next: number }>(
      'bwi',
      'GET',
      `/events?after=${feed.next}`,
    );
    expect(later.body.events).toEqual([]);
  }, 120_000);

  it('reminds about unanswered requests on both sides, once, expires them at the deadline, and partners then refuse replies', async () => {
    const deadline = new Date(Date.now() + 8_000).toISOString();
    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', {
      firm: {
        name: 'Late Example GmbH',
        contact: {
          fullName: 'Lars Late',
          role: null,
          email: 'lars@late.example',
          phone: null,
          preferredLanguage: 'de',
        },
      },
      profile: {
        kind: 'SUPPLIER',
        title: 'Supplier of precision springs',
        summary: 'Springs for valves.',
        description: 'Small series of precision springs.',
        textLanguage: 'en',
        sectors: [{ code: '25.93', revision: 'REV_2' }],
        partnershipTypes: ['SUPPLY_CONTRACT'],
        targetAgencies: ['aura', 'promos'],
        workingLanguages: ['en'],
        deadline,
        firm: { sizeBand: 'MICRO', nutsRegion: 'DE11', exportExperience: 'NONE' },
      },
    });
    const { requestId } = created.body;
    type Feed = {
      events: Array<{
        cursor: number;
        kind: string;
        requestId: string;
        body: { waitingFor?: string[]; homeAgency?: string; deadline?: string; origin?: string };
      }>;
    };
    const kinds = async (agency: string) =>
      (await wholeFeed<Feed['events'][number]>(system, agency)).events.filter(
        (e) => e.requestId === requestId,
      );
    const remindersAt = async (agency: string) =>
      (await kinds(agency)).filter((e) => e.kind.endsWith('.reminder'));

    // promos never checks its own deadlines in this test: its back office hears the home agency's event.
    const atPromos = await eventually(async () => {
      const reminders = await remindersAt('promos');
      return reminders.length > 0 ? reminders : undefined;
    }, "the home agency's reminder at promos");
    expect(atPromos[0]).toMatchObject({
      kind: 'inbox.reminder',
      body: { homeAgency: 'bwi', deadline, origin: 'home-agency' },
    });

    const home = await eventually(
      async () => {
        const events = await kinds('bwi');
        return events.some((e) => e.kind === 'request.expired') ? events : undefined;
      },
      'the expiry at bwi',
      30_000,
    );
    expect(home.filter((e) => e.kind === 'request.reminder').map((e) => e.body.waitingFor?.sort())).toEqual([
      ['aura', 'promos'],
    ]);
    expect(
      (await system.call<{ status: string; closeReason: string }>('bwi', 'GET', `/requests/${requestId}`))
        .body,
    ).toMatchObject({ status: 'closed', closeReason: 'EXPIRED' });

    // On the wire: one ReplyReminderSent per silent partner, from bwi, with the deadline and nothing else.
    const published = await eventually(async () => {
      const found = await remindersOnTheTopic(requestId);
      return found.length === 2 ? found : undefined;
    }, 'two reminders on the topic');
    expect(published.map((e) => [e.type, e.source, e.ceSource])).toEqual([
      ['ReplyReminderSent', 'bwi', '/passport/agencies/bwi'],
      ['ReplyReminderSent', 'bwi', '/passport/agencies/bwi'],
    ]);
    const payloads = published.flatMap((e) => (e.type === 'ReplyReminderSent' ? [e.payload] : []));
    expect(payloads.sort((a, b) => a.addressedTo.localeCompare(b.addressedTo))).toEqual([
      { addressedTo: 'aura', deadline: new Date(deadline) },
      { addressedTo: 'promos', deadline: new Date(deadline) },
    ]);

    await eventually(
      async () =>
        (await system.call<{ status: string }>('aura', 'GET', `/inbox/${requestId}`)).body.status === 'closed'
          ? true
          : undefined,
      'the closure at aura',
    );
    // Each partner's back office heard exactly one reminder: aura's own check and bwi's event raced for
    // it, promos had only the event; accio, not targeted, heard none.
    expect((await remindersAt('aura')).map((e) => e.kind)).toEqual(['inbox.reminder']);
    expect((await remindersAt('promos')).map((e) => e.kind)).toEqual(['inbox.reminder']);
    expect(await kinds('accio')).toEqual([]);

    const late = await system.call<{ error: { code: string; message: string } }>(
      'aura',
      'POST',
      `/inbox/${requestId}/no-candidates`,
      { reason: 'NO_MATCH' },
    );
    expect(late).toMatchObject({
      status: 409,
      body: {
        error: {
          code: 'PASSPORT_CONFLICT',
          message: `request ${requestId} was closed by bwi; it takes no more replies`,
        },
      },
    });
  }, 60_000);
});
