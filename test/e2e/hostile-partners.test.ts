import { randomUUID } from 'node:crypto';
import { createKafka } from '@passport/bus';
import { CompressionTypes, logLevel, type Admin } from 'kafkajs';
import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf } from '@passport/config';
import {
  candidatesProposedSample,
  cooperationRequestClosedSample,
  cooperationRequestedSample,
  introductionAcceptedSample,
  introductionRequestedSample,
  outcomeReportedSample,
  replyReminderSentSample,
} from '../fixtures/events';
import { EVENT_TOPICS } from '@passport/events';
import { waitForGroupCaughtUp } from '@passport/streams';
import { sampleFirm } from '../fixtures/own-requests';
import { adminConnection } from '../support/cluster';
import { protocolErrorTypes } from '../support/kafka-errors';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import {
  counterValue,
  deadLetterMarks,
  deadLettersSince,
  hostilePartner,
  probeHealth,
  type HostilePartner,
} from '../support/hostile-partner';

const DAY = 86_400_000;
const ACCIO_DIRECTORY = [
  {
    companyId: 'es-100',
    name: 'Transmisiones Ejemplo SL',
    naceCodes: [{ code: '28.15', revision: 'REV_2' }],
    products: [{ scheme: 'HS', code: '848340' }],
    keywords: ['gears', 'distribution'],
    descriptions: { en: 'Distributor of gears and power transmission parts' },
    sizeBand: 'SMALL',
    nutsRegion: 'ES511',
    languages: ['es', 'en'],
    partnershipTypes: ['DISTRIBUTION'],
  },
];
const profile = (targetAgencies: string[], description?: string) => ({
  ...cooperationRequestedSample.payload.profile,
  ...(description === undefined ? {} : { description }),
  targetAgencies,
  deadline: new Date(Date.now() + 30 * DAY),
});
const consent = () => ({ givenAt: new Date(Date.now() - 60_000), method: 'WRITTEN', reference: null });

/** A contract-valid event about `requestId`, written by the hostile partner under its own name. */
const forged = (sample: { payload: object }, requestId: string, payload: object = {}) => ({
  ...sample,
  eventId: randomUUID(),
  occurredAt: new Date(),
  source: 'promos',
  requestId,
  causationId: null,
  correlationId: requestId,
  payload: { ...sample.payload, ...payload },
});

type Detail = {
  status: string;
  partners: Array<{ agencyId: string; status: string }>;
  candidates: Array<{ agencyId: string; candidateRef: string }>;
  introductions: Array<{ candidateRef: string; status: string; candidateName: string | null }>;
  outcomes: unknown[];
};

describe('hostile partners: a real agency principal sending what it may not', () => {
  let system: AgencySystem;
  let admin: Admin;
  let promos: HostilePartner;
  const victims = ['bwi', 'accio', 'aura'];
  // Named here so the suite can wait for the victims' groups: new groups first replay the topics'
  // history, whose old attacks would be parked (and counted) again.
  const purpose = `e2e-hostile-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    system = await startAgencySystem(28_151, {
      env: {
        bwi: { CONSUMER_GROUP_PURPOSE: purpose },
        accio: { CONSUMER_GROUP_PURPOSE: purpose, MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' },
        aura: { CONSUMER_GROUP_PURPOSE: purpose, MATCHING_MODE: 'auto' },
        promos: { CONSUMER_GROUP_PURPOSE: purpose },
      },
    });
    admin = createKafka(adminConnection(), { clientId: 'hostile-suite', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    promos = await hostilePartner('promos');
  }, 120_000);

  afterAll(async () => {
    await promos?.close();
    await admin?.disconnect();
    await system?.stop();
  }, 60_000);

  const get = async <T>(agency: string, path: string) => (await system.call<T>(agency, 'GET', path)).body;
  const post = (agency: string, path: string, body: unknown) => system.call(agency, 'POST', path, body);
  const createRequest = async (targets: string[]) => {
    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', {
      firm: sampleFirm,
      profile: profile(targets),
    });
    // The body is shown when the request is refused: it names the field.
    expect(created.status === 201 ? 201 : created.body).toBe(201);
    return created.body.requestId;
  };
  const answered = (requestId: string) =>
    eventually(async () => {
      const detail = await get<Detail>('bwi', `/requests/${requestId}`);
      const statuses = detail.partners.map((p) => p.status);
      return statuses.every((s) => s === 'candidates' || s === 'none_found') ? detail : undefined;
    }, `answers to ${requestId}`);
  const metrics = async (agency: string) => (await fetch(`${system.services[agency]?.url}/metrics`)).text();

  it('changes no victim’s state, parks every attack with its rule, and keeps answering', async () => {
    const health = probeHealth(
      Object.fromEntries(victims.map((a) => [a, system.services[a]?.url as string])),
    );
    try {
      expect((await post('accio', '/directory/import', ACCIO_DIRECTORY)).status).toBe(200);

      // Real requests through the HTTP API: R1 up to a pending introduction, R2 withdrawn.
      const r1 = await createRequest(['accio', 'aura']);
      const candidateRef = (await answered(r1)).candidates[0]?.candidateRef as string;
      expect(candidateRef).toMatch(/^accio-/);
      await post('bwi', `/requests/${r1}/introductions`, { candidateRef, consent: consent() });
      await eventually(async () => {
        const entry = await get<{ introductions: unknown[] }>('accio', `/inbox/${r1}`);
        return entry.introductions.length > 0 ? true : undefined;
      }, 'the introduction at accio');
      const r2 = await createRequest(['accio', 'aura']);
      await answered(r2);
      await post('bwi', `/requests/${r2}/close`, { reason: 'WITHDRAWN' });
      await eventually(async () => {
        const entries = await Promise.all(
          ['accio', 'aura'].map((a) => get<{ status: string }>(a, `/inbox/${r2}`)),
        );
        return entries.every((e) => e.status === 'closed') ? true : undefined;
      }, 'the withdrawal at the partners');

      const views = () =>
        Promise.all([
          get('bwi', `/requests/${r1}`),
          get('bwi', `/requests/${r2}`),
          ...['accio', 'aura'].flatMap((a) => [get(a, `/inbox/${r1}`), get(a, `/inbox/${r2}`)]),
        ]);
      await Promise.all(
        victims.map((a) =>
          waitForGroupCaughtUp(admin, `${a}.${purpose}`, EVENT_TOPICS, { timeoutMs: 60_000 }),
        ),
      );
      const before = await views();
      const marks = await deadLetterMarks(admin);
      const pagesBefore = Object.fromEntries(
        await Promise.all(victims.map(async (a) => [a, await metrics(a)])),
      );

      // Each attack, and the victims that must park it under the rule named.
      const attacks: Array<{ event: Record<string, unknown>; parkedBy: Record<string, string> }> = [
        {
          event: forged(cooperationRequestClosedSample, r1),
          parkedBy: { bwi: 'home-agency-only', accio: 'home-agency-only', aura: 'home-agency-only' },
        },
        {
          event: forged(replyReminderSentSample, r1, {
            addressedTo: 'aura',
            deadline: new Date(Date.now() + DAY),
          }),
          parkedBy: { aura: 'home-agency-only' },
        },
        { event: forged(candidatesProposedSample, r1), parkedBy: { bwi: 'reply-from-target' } },
        {
          event: forged(introductionRequestedSample, r1, {
            addressedTo: 'accio',
            candidateRef,
            firmName: 'Intruder Srl',
            firmConsent: consent(),
          }),
          parkedBy: { accio: 'home-agency-only' },
        },
        {
          event: forged(introductionAcceptedSample, r1, {
            addressedTo: 'bwi',
            candidateRef,
            candidateName: 'Impostor SpA',
            candidateConsent: consent(),
          }),
          parkedBy: { bwi: 'introduction-partner-only' },
        },
        {
          event: forged(outcomeReportedSample, r1, { candidateRef }),
          parkedBy: { bwi: 'introduction-party-only', accio: 'introduction-party-only' },
        },
        {
          event: forged(cooperationRequestedSample, r2, { profile: profile(['accio', 'aura']) }),
          parkedBy: { accio: 'request-id-unique', aura: 'request-id-unique' },
        },
      ];
      for (const attack of attacks) await promos.send(attack.event);
      // ReDoS: the longest description the contract allows, built to make a backtracking phone-number
      // pattern run for hours. It is a well-formed request from promos, so the partners take it.
      const redos = forged(cooperationRequestedSample, randomUUID(), {
        profile: profile(['accio', 'aura'], `Ref 01 ${'1'.repeat(4000 - 8)}.`),
      });
      await promos.send(redos);

      const expected = attacks.flatMap(({ event, parkedBy }) =>
        Object.entries(parkedBy).map(([agency, rule]) => ({ agency, rule, event })),
      );
      const attackIds = new Set(attacks.map(({ event }) => event.eventId));
      const parked = await eventually(
        async () => {
          const letters = await deadLettersSince(admin, marks);
          const ofAttacks = letters.filter((l) => attackIds.has(l.headers.ce_id));
          return ofAttacks.length >= expected.length ? ofAttacks : undefined;
        },
        `${expected.length} dead letters`,
        60_000,
      );
      for (const { agency, rule, event } of expected) {
        const letter = parked.find(
          (l) => l.headers.ce_id === event.eventId && l.headers.dlq_consumer_group?.startsWith(`${agency}.`),
        );
        expect({ agency, type: event.type, code: letter?.headers.dlq_error_code }).toEqual({
          agency,
          type: event.type,
          code: 'PASSPORT_EVENT_FORBIDDEN',
        });
        expect(letter?.headers.dlq_error_message).toMatch(/not promos|from promos/);
        const page = await metrics(agency);
        const type = String(event.type);
        const counter = (text: string) =>
          counterValue(text, 'passport_events_forbidden_total', { type, rule });
        const counted = counter(page) - counter(pagesBefore[agency] as string);
        const sent = expected.filter((e) => e.agency === agency && e.rule === rule && e.event.type === type);
        expect({ agency, type, rule, counted }).toEqual({ agency, type, rule, counted: sent.length });
      }
      expect(parked).toHaveLength(expected.length);

      expect(await views()).toEqual(before);
      for (const agency of ['accio', 'aura']) {
        const entry = await eventually(async () => {
          const found = await system.call<{ status: string }>(agency, 'GET', `/inbox/${redos.requestId}`);
          return found.status === 200 ? found.body : undefined;
        }, `the long request at ${agency}`);
        expect(entry.status).toMatch(/acknowledged|answered/);
      }

      // The flow goes on: a normal request after the attacks is answered.
      const r3 = await createRequest(['accio']);
      expect((await answered(r3)).candidates.map((c) => c.agencyId)).toEqual(['accio']);
    } catch (error) {
      await health.stop();
      throw error;
    }
    {
      const { count, max, p50, p99, failures } = await health.stop();
      console.log(
        `healthz during the attacks: ${count} answers, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
      );
      expect(failures).toEqual([]);
      expect(count).toBeGreaterThan(10 * victims.length);
      // The target is 100 ms; the margins are wide because a busy 2-core CI machine delays the probe
      // itself (a run beside other clusters measured a 1.5 s maximum with every service healthy). A
      // frozen event loop, as the ReDoS used to cause, answers in hours or not at all (failures above).
      expect(p99).toBeLessThan(1_000);
      expect(max).toBeLessThan(3_000);
    }
  }, 180_000);
  it('cannot write a victim’s dead-letter topic, nor stop its consumer with an oversize poison message', async () => {
    const marks = await deadLetterMarks(admin);
    // The dead-letter topics are each agency's own: a forged "dead letter" for an admin to redrive
    // cannot even be written.
    const forgedLetter = await promos.sendRaw(deadLetterTopicOf('bwi'), {
      key: randomUUID(),
      value: Buffer.from('forged'),
      headers: { dlq_original_topic: 'passport.outcomes.v1', dlq_consumer_group: `bwi.${purpose}` },
    });
    expect(protocolErrorTypes(forgedLetter)).toContain('TOPIC_AUTHORIZATION_FAILED');

    // Compressed, the batch passes the exchange topic's size limit; unpacked it is three times the
    // dead-letter topic's, and its headers carry terminal escapes. Every consumer parks it; the dead
    // letter must be cut to fit, or producing it fails and the consumer stops.
    const marker = randomUUID();
    const sent = await promos.sendRaw(
      EVENT_TOPICS[0] as string,
      {
        key: marker,
        value: Buffer.alloc(3 * DEAD_LETTER_MAX_MESSAGE_BYTES, 0x7f),
        headers: { ce_id: marker, ce_source: 'promos\u001b[2J\u0007', ce_type: 'passport.\u202eevil' },
      },
      CompressionTypes.GZIP,
    );
    expect(sent).toBeUndefined();
    const letters = await eventually(
      async () => {
        const found = (await deadLettersSince(admin, marks)).filter((l) => l.headers.ce_id === marker);
        const parkedBy = new Set(found.map((l) => l.headers.dlq_consumer_group?.split('.')[0]));
        return victims.every((v) => parkedBy.has(v)) ? found : undefined;
      },
      'the oversize poison message parked by every victim',
      60_000,
    );
    for (const letter of letters.filter((l) =>
      victims.includes(String(l.headers.dlq_consumer_group).split('.')[0] as string),
    )) {
      expect(letter.headers.dlq_truncated).toMatch(/value 3145728/);
      // Unsigned: refused before it is ever decoded.
      expect(letter.headers.dlq_error_code).toBe('PASSPORT_SIGNATURE_MISSING');
    }
    for (const victim of victims) {
      const ready = await fetch(`${system.services[victim]?.url}/readyz`);
      expect({ victim, status: ready.status }).toEqual({ victim, status: 200 });
    }
    const after = await createRequest(['accio', 'aura']);
    expect((await answered(after)).partners.map((p) => p.agencyId).sort()).toEqual(['accio', 'aura']);
  }, 120_000);
});
