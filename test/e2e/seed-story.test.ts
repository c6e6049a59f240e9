import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createKafka } from '@passport/bus';
import { deadLetterTopicOf, loadAgencies, TOPICS } from '@passport/config';
import { logLevel } from 'kafkajs';
import { adminConnection } from '../support/cluster';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { SEED_FIRM_EMAIL, postSeedRequest } from '../support/seed-request';

const FIRM_EMAIL = SEED_FIRM_EMAIL;
const CANDIDATE_EMAIL = 'jordi@transmisiones.example';

const candidate = (ref: string, nuts: string) => ({
  candidateRef: ref,
  profile: {
    sectors: [{ code: '46.69', revision: 'REV_2' }],
    sizeBand: 'MEDIUM',
    nutsRegion: nuts,
    offerSummary: 'Technical distributor of power transmission parts for machine builders.',
  },
  matchScore: 0.8,
  rationale: 'Distributes power transmission parts to machine builders.',
});

interface RequestDetail {
  status: string;
  closeReason: string | null;
  partners: Array<{ agencyId: string; status: string }>;
  candidates: Array<{ agencyId: string; candidateRef: string }>;
  introductions: Array<{
    candidateRef: string;
    status: string;
    candidateName: string | null;
    candidateContact: { email: string } | null;
  }>;
  outcomes: Array<{ outcome: string }>;
}

const DEAD_LETTER_TOPICS = loadAgencies().map((agency) => deadLetterTopicOf(agency.id));
const ALL_TOPICS: readonly string[] = [...Object.values(TOPICS), ...DEAD_LETTER_TOPICS];

/** Every message of this request on every topic, as raw bytes: what any agency could read there. */
async function messagesOfRequest(requestId: string): Promise<Map<string, string[]>> {
  const admin = createKafka(adminConnection(), {
    clientId: 'e2e-reader',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const consumer = createKafka(adminConnection(), {
    clientId: 'e2e-reader',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `e2e-reader-${requestId}` });
  const found = new Map<string, string[]>(ALL_TOPICS.map((t) => [t, []]));
  try {
    const ends = new Map<string, number>();
    for (const topic of ALL_TOPICS) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}/${p.partition}`, Number(p.high));
    }
    await consumer.connect();
    await consumer.subscribe({ topics: [...ALL_TOPICS], fromBeginning: true });
    const seen = new Map<string, number>();
    await new Promise<void>((resolvePromise) => {
      const done = () => [...ends].every(([key, high]) => high === 0 || (seen.get(key) ?? 0) >= high);
      if (done()) resolvePromise();
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          seen.set(`${topic}/${partition}`, Number(message.offset) + 1);
          if (message.key?.toString() === requestId)
            found.get(topic)?.push(message.value?.toString('latin1') ?? '');
          if (done()) resolvePromise();
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
  }
  return found;
}

function databaseText(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

describe('the seed story, four agencies as separate processes on the real broker', () => {
  let system: AgencySystem;

  beforeAll(async () => {
    system = await startAgencySystem(28_101);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('a Baden-Württemberg firm finds a partner in Catalonia, and contact data reaches only whom it is addressed to', async () => {
    const created = await postSeedRequest(system, 'seed');
    expect(created.status).toBe(201);
    const { requestId } = created.body;
    const detail = async () =>
      (await system.call<RequestDetail>('bwi', 'GET', `/requests/${requestId}`)).body;

    await eventually(
      async () => ((await detail()).partners.every((p) => p.status === 'acknowledged') ? true : undefined),
      'three acknowledgements',
    );
    for (const partner of ['aura', 'accio', 'promos']) {
      const inbox = await system.call<Array<{ requestId: string; homeAgency: string }>>(
        partner,
        'GET',
        '/inbox',
      );
      expect(inbox.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ requestId, homeAgency: 'bwi' })]),
      );
    }

    expect(
      (
        await system.call('accio', 'POST', `/inbox/${requestId}/candidates`, {
          candidates: [candidate('accio-4711', 'ES511')],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await system.call('promos', 'POST', `/inbox/${requestId}/candidates`, {
          candidates: [candidate('promos-778', 'ITC45')],
        })
      ).status,
    ).toBe(201);
    expect(
      (await system.call('aura', 'POST', `/inbox/${requestId}/no-candidates`, { reason: 'NO_MATCH' })).status,
    ).toBe(201);
    const replied = await eventually(async () => {
      const d = await detail();
      return d.candidates.length === 2 &&
        d.partners.find((p) => p.agencyId === 'aura')?.status === 'none_found'
        ? d
        : undefined;
    }, 'two candidate lists and one "none found"');
    expect(replied.partners.map((p) => [p.agencyId, p.status]).sort()).toEqual([
      ['accio', 'candidates'],
      ['aura', 'none_found'],
      ['promos', 'candidates'],
    ]);

    const consent = {
      givenAt: new Date(Date.now() - 60_000).toISOString(),
      method: 'ELECTRONIC',
      reference: 'BWI-CONSENT-1',
    };
    expect(
      (
        await system.call('bwi', 'POST', `/requests/${requestId}/introductions`, {
          candidateRef: 'accio-4711',
          consent,
        })
      ).status,
    ).toBe(201);
    await eventually(async () => {
      const inbox = await system.call<{ introductions: Array<{ status: string; firmName: string }> }>(
        'accio',
        'GET',
        `/inbox/${requestId}`,
      );
      return inbox.body.introductions[0]?.firmName === 'Zahnradwerk Example GmbH' ? true : undefined;
    }, 'the introduction request at accio');

    const accepted = await system.call(
      'accio',
      'POST',
      `/inbox/${requestId}/introductions/accio-4711/accept`,
      {
        candidateName: 'Transmisiones Ejemplo SL',
        contact: {
          fullName: 'Jordi Exemple',
          role: null,
          email: CANDIDATE_EMAIL,
          phone: null,
          preferredLanguage: 'ca',
        },
        consent: { givenAt: new Date(Date.now() - 1_000).toISOString(), method: 'WRITTEN', reference: null },
      },
    );
    expect(accepted.status).toBe(201);
    const introduced = await eventually(async () => {
      const intro = (await detail()).introductions.find((i) => i.candidateRef === 'accio-4711');
      return intro?.status === 'accepted' ? intro : undefined;
    }, 'the acceptance at bwi');
    expect(introduced.candidateContact?.email).toBe(CANDIDATE_EMAIL);

    expect(
      (
        await system.call('bwi', 'POST', `/requests/${requestId}/outcomes`, {
          candidateRef: 'accio-4711',
          outcome: 'AGREEMENT_SIGNED',
          agreementType: 'DISTRIBUTION',
        })
      ).status,
    ).toBe(201);
    expect(
      (await system.call('bwi', 'POST', `/requests/${requestId}/close`, { reason: 'FULFILLED' })).status,
    ).toBe(201);
    await eventually(async () => {
      const statuses = await Promise.all(
        ['aura', 'accio', 'promos'].map(
          async (a) => (await system.call<{ status: string }>(a, 'GET', `/inbox/${requestId}`)).body.status,
        ),
      );
      return statuses.every((s) => s === 'closed') ? true : undefined;
    }, 'the closure at every partner');
    await eventually(async () => {
      const outcomes = (await system.call<{ outcomes: unknown[] }>('accio', 'GET', `/inbox/${requestId}`))
        .body.outcomes;
      return outcomes.length === 1 ? true : undefined;
    }, 'the outcome at accio');
    expect((await detail()).status).toBe('closed');

    // Contact data: in the databases only where it was addressed …
    const stored = Object.fromEntries(
      Object.entries(system.dbFiles).map(([agency, file]) => [agency, databaseText(file)]),
    );
    expect(
      Object.keys(stored)
        .filter((a) => stored[a]?.includes(FIRM_EMAIL))
        .sort(),
    ).toEqual(['accio', 'bwi']);
    expect(
      Object.keys(stored)
        .filter((a) => stored[a]?.includes(CANDIDATE_EMAIL))
        .sort(),
    ).toEqual(['accio', 'bwi']);
    // … and on no topic in clear: the two introduction events carry it sealed to the addressed agency.
    const onTopics = await messagesOfRequest(requestId);
    for (const topic of ALL_TOPICS) {
      expect({
        topic,
        leaks: onTopics.get(topic)?.filter((v) => v.includes(FIRM_EMAIL) || v.includes(CANDIDATE_EMAIL))
          .length,
      }).toEqual({ topic, leaks: 0 });
    }
    expect(onTopics.get(TOPICS.introductions)).toHaveLength(0);
    expect(onTopics.get(TOPICS.sealedIntroductions)).toHaveLength(2);
    expect(onTopics.get(TOPICS.cooperationRequests)?.length).toBe(5); // request, three acknowledgements, closure
  }, 120_000);

  it('logs carry requestId and traceparent as JSON', () => {
    const lines = readFileSync(`${system.dir}/aura.log`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event applied"'));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      agency: 'aura',
      requestId: expect.any(String),
      traceparent: expect.stringMatching(/^00-/),
    });
  });

  it('serves its OpenAPI document, readiness and Prometheus metrics', async () => {
    const docs = (await (await fetch(`${system.services.accio?.url}/docs/json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/requests',
        '/requests/{requestId}/introductions',
        '/inbox',
        '/inbox/{requestId}/candidates',
      ]),
    );
    const ready = await fetch(`${system.services.accio?.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true },
        broker: { ok: true },
        registry: { ok: true },
        consumer: { ok: true },
        publication: { ok: true },
      },
    });
    // Every event the requesting and the answering agency published came back to it from its topic
    // and confirmed its outbox row.
    for (const agencyId of ['bwi', 'accio']) {
      const url = system.services[agencyId]?.url as string;
      await eventually(async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const sent = /passport_events_out_total\{[^}]*\} [1-9]/.test(text);
        return sent && /^passport_outbox_unconfirmed\{[^}]*\} 0$/m.test(text) ? true : undefined;
      }, `every event ${agencyId} published read back and confirmed`);
    }
    const metrics = await (await fetch(`${system.services.accio?.url}/metrics`)).text();
    expect(metrics).toMatch(
      /passport_events_in_total\{[^}]*type="CooperationRequested",result="applied"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/passport_events_out_total\{[^}]*type="RequestAcknowledged"[^}]*\} [1-9]/);
    expect(metrics).toContain('passport_outbox_backlog');
    expect(metrics).toContain('passport_consumer_lag');
  });
});
