import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { deadLetterTopicOf, loadAgencies, TOPICS } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, type EventTopic } from '@passport/events';
import { readRange, type RangeMessage } from '@passport/streams';
import { logLevel, type Admin } from 'kafkajs';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import type { HandlerDeps } from '@passport/agency-service/handlers/deps';
import { openSealedParty } from '@passport/agency-service/handlers/sealing/open-sealed';
import { cooperationRequestedSample } from '../fixtures/events';
import { adminConnection } from '../support/cluster';
import { passport } from '../support/console';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import {
  deadLetterMarks,
  deadLettersSince,
  hostilePartner,
  type HostilePartner,
} from '../support/hostile-partner';

const DAY = 86_400_000;
const FIRM = {
  name: 'Loeschbar Beispiel GmbH',
  contact: {
    fullName: 'Erika Vergessen',
    role: null,
    email: 'erika.vergessen@loeschbar.example',
    phone: '+497111234987',
    preferredLanguage: 'de',
  },
};
const CANDIDATE = {
  candidateName: 'Oblit Components SL',
  contact: {
    fullName: 'Jordi Esborrat',
    role: null,
    email: 'jordi.esborrat@oblit.example',
    phone: '+34931112233',
    preferredLanguage: 'ca',
  },
};
/** What no readable copy may be left of, anywhere, after the erasure. */
const PERSONAL = [
  FIRM.name,
  FIRM.contact.fullName,
  FIRM.contact.email,
  FIRM.contact.phone,
  CANDIDATE.candidateName,
  CANDIDATE.contact.fullName,
  CANDIDATE.contact.email,
  CANDIDATE.contact.phone,
];
const found = (text: string) => PERSONAL.filter((value) => text.includes(value));

const consent = () => ({
  givenAt: new Date(Date.now() - 60_000).toISOString(),
  method: 'WRITTEN',
  reference: null,
});
const CANDIDATE_REF = 'accio-erase-1';

/** Every text (and blob, as UTF-8) of every row of every table of an agency's SQLite file. */
function databaseText(file: string): string {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    return tables
      .flatMap(({ name }) =>
        (sqlite.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).flatMap((row) =>
          Object.values(row).map((value) =>
            Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '',
          ),
        ),
      )
      .join('\n');
  } finally {
    sqlite.close();
  }
}

describe('erasure on request, on the real broker', () => {
  let system: AgencySystem;
  let admin: Admin;
  let promos: HostilePartner;
  let codec: EventCodec;

  beforeAll(async () => {
    system = await startAgencySystem(28_201);
    admin = createKafka(adminConnection(), { clientId: 'e2e-erasure', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    promos = await hostilePartner('promos');
    codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  }, 120_000);

  afterAll(async () => {
    await promos?.close();
    await admin?.disconnect();
    await system?.stop();
  }, 60_000);

  const post = async (agency: string, path: string, body: unknown) => {
    const response = await system.call(agency, 'POST', path, body);
    expect(response.status === 201 ? 201 : response.body).toBe(201);
    return response.body;
  };

  const accioIntroduction = async () =>
    (
      await system.call<{ introductions: Array<{ firmName: string | null; candidateName: string | null }> }>(
        'accio',
        'GET',
        `/inbox/${requestId}`,
      )
    ).body.introductions[0];

  /** All records of every exchange and dead-letter topic, read as admin. */
  async function everyRecord(): Promise<Array<RangeMessage & { topic: string }>> {
    const topics = [
      ...Object.values(TOPICS),
      ...loadAgencies().map((agency) => deadLetterTopicOf(agency.id)),
    ];
    const kafka = createKafka(adminConnection(), {
      clientId: 'e2e-erasure-reader',
      logLevel: logLevel.NOTHING,
    });
    const records: Array<RangeMessage & { topic: string }> = [];
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const spans = ends.map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) }));
      await readRange(kafka, topic, spans, (m) => void records.push({ ...m, topic }), {
        groupPrefix: 'e2e-erasure-reader',
      });
    }
    return records;
  }

  /** The sealed fields of this request on v2, with what binds each to its event. */
  async function sealedFieldsOfRequest() {
    const records = (await everyRecord()).filter(
      (r) => r.topic === TOPICS.sealedIntroductions && r.key === requestId,
    );
    const fields = [];
    for (const record of records) {
      const event = (await codec.decode(
        TOPICS.sealedIntroductions as EventTopic,
        record.value,
      )) as unknown as {
        eventId: string;
        type: string;
        payload: Record<string, unknown>;
      };
      for (const field of ['sealedFirm', 'sealedCandidate'])
        if (typeof event.payload[field] === 'string')
          fields.push({
            sealed: event.payload[field],
            context: { eventId: event.eventId, eventType: event.type, requestId, field },
          });
    }
    return fields;
  }

  /** Opens a sealed field with the key material in an agency's database: the clear party, or the error code. */
  async function openWith(agency: string, field: Awaited<ReturnType<typeof sealedFieldsOfRequest>>[number]) {
    const db = openSqlite(system.dbFiles[agency] as string);
    try {
      const party = await openSealedParty({ db } as unknown as HandlerDeps, field.sealed, field.context);
      return party.name;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await db.close();
    }
  }

  let requestId = '';

  /** A request of BW_i answered by ACCIÓ, introduced and accepted, sealed: sets `requestId`. */
  async function introduceAndAccept(): Promise<void> {
    const created = await post('bwi', '/requests', {
      firm: FIRM,
      profile: {
        ...cooperationRequestedSample.payload.profile,
        targetAgencies: ['accio'],
        deadline: new Date(Date.now() + 30 * DAY),
      },
    });
    requestId = (created as { requestId: string }).requestId;
    await eventually(async () => {
      const inbox = await system.call<Array<{ requestId: string }>>('accio', 'GET', '/inbox');
      return inbox.body.some((entry) => entry.requestId === requestId) ? true : undefined;
    }, 'the request at accio');
    await post('accio', `/inbox/${requestId}/candidates`, {
      candidates: [
        {
          candidateRef: CANDIDATE_REF,
          profile: {
            sectors: [{ code: '46.69', revision: 'REV_2' }],
            sizeBand: 'MEDIUM',
            nutsRegion: 'ES511',
            offerSummary: 'Distributor of gears for machine builders.',
          },
          matchScore: 0.8,
          rationale: 'Distributes gears to machine builders.',
        },
      ],
    });
    await eventually(async () => {
      const detail = await system.call<{ candidates: unknown[] }>('bwi', 'GET', `/requests/${requestId}`);
      return detail.body.candidates.length ? true : undefined;
    }, 'the candidate at bwi');
    await post('bwi', `/requests/${requestId}/introductions`, {
      candidateRef: CANDIDATE_REF,
      consent: consent(),
    });
    await eventually(
      async () => ((await accioIntroduction())?.firmName === FIRM.name ? true : undefined),
      'the firm at accio',
    );
    await post('accio', `/inbox/${requestId}/introductions/${CANDIDATE_REF}/accept`, {
      ...CANDIDATE,
      consent: consent(),
    });
    await eventually(async () => {
      const detail = await system.call<{ introductions: Array<{ candidateName: string | null }> }>(
        'bwi',
        'GET',
        `/requests/${requestId}`,
      );
      return detail.body.introductions[0]?.candidateName === CANDIDATE.candidateName ? true : undefined;
    }, 'the candidate at bwi');
  }

  it('introduces and accepts a sealed introduction, readable by both agencies', async () => {
    await introduceAndAccept();
    // The checks below can fail: before the erasure both databases hold the data and open the fields.
    expect(found(databaseText(system.dbFiles.bwi as string))).toContain(FIRM.contact.email);
    expect(found(databaseText(system.dbFiles.accio as string))).toContain(CANDIDATE.contact.email);
    const fields = await sealedFieldsOfRequest();
    expect(fields.map((f) => f.context.field).sort()).toEqual(['sealedCandidate', 'sealedFirm']);
    const opened = await Promise.all(
      fields.map(async (f) => [await openWith('bwi', f), await openWith('accio', f)]),
    );
    expect(opened.flat()).toEqual(expect.arrayContaining([FIRM.name, CANDIDATE.candidateName]));
  }, 180_000);

  it('refuses an erasure event from a third agency, changing nothing', async () => {
    expect(requestId).not.toBe('');
    const marks = await deadLetterMarks(admin);
    const forged = {
      eventId: randomUUID(),
      occurredAt: new Date(),
      source: 'promos',
      requestId,
      causationId: null,
      correlationId: requestId,
      type: 'PersonalDataErased',
      payload: { addressedTo: 'accio', candidateRef: CANDIDATE_REF },
    };
    await promos.send(forged);
    const letter = await eventually(async () => {
      const letters = await deadLettersSince(admin, marks);
      return letters.find(
        (l) => l.headers.ce_id === forged.eventId && l.headers.dlq_consumer_group?.startsWith('accio.'),
      );
    }, 'the forged erasure parked by accio');
    expect(letter.headers.dlq_error_code).toBe('PASSPORT_EVENT_FORBIDDEN');
    expect(await accioIntroduction()).toEqual(
      expect.objectContaining({ firmName: FIRM.name, candidateName: CANDIDATE.candidateName }),
    );
    const records = await system.call<unknown[]>('accio', 'GET', `/erasures/${requestId}`);
    expect(records.body).toEqual([]);
  }, 120_000);

  it('leaves no readable copy in either database, the feed, webhooks, evidence, logs or any topic', async () => {
    expect(requestId).not.toBe('');
    const open = await system.call<{ error: { code: string } }>(
      'bwi',
      'POST',
      `/requests/${requestId}/erasure`,
      {},
    );
    expect([open.status, open.body.error.code]).toEqual([409, 'PASSPORT_CONFLICT']);
    const unknown = await system.call<{ error: { code: string } }>(
      'bwi',
      'POST',
      `/requests/${randomUUID()}/erasure`,
      {},
    );
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'PASSPORT_NOT_FOUND']);

    await post('bwi', `/requests/${requestId}/close`, { reason: 'FULFILLED' });
    const erased = (await post('bwi', `/requests/${requestId}/erasure`, {})) as {
      destroyedKeyIds: string[];
      eventIds: string[];
      requestedBy: string;
    };
    expect(erased.destroyedKeyIds).toHaveLength(1);
    expect(erased.eventIds).toHaveLength(1);
    expect(erased.requestedBy).toBe('api');
    const again = await system.call<{ error: { code: string } }>(
      'bwi',
      'POST',
      `/requests/${requestId}/erasure`,
      {},
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'PASSPORT_CONFLICT']);

    const partnerRecord = await eventually(async () => {
      const records = await system.call<Array<{ role: string; requestedBy: string; eventIds: string[] }>>(
        'accio',
        'GET',
        `/erasures/${requestId}`,
      );
      return records.body[0];
    }, 'the erasure record at accio');
    expect(partnerRecord).toEqual(
      expect.objectContaining({ role: 'partner', requestedBy: 'bwi', eventIds: erased.eventIds }),
    );
    expect(await accioIntroduction()).toEqual(
      expect.objectContaining({ firmName: null, candidateName: null }),
    );

    for (const agency of ['bwi', 'accio']) {
      expect({ agency, database: found(databaseText(system.dbFiles[agency] as string)) }).toEqual({
        agency,
        database: [],
      });
      for (const path of ['/events', '/webhooks/deliveries', '/evidence/export', `/requests/${requestId}`]) {
        // Raw text: the evidence export is JSON lines.
        const response = await fetch(`${system.services[agency]?.url}${path}`, {
          headers: { authorization: `Bearer ${system.apiKey}` },
        });
        expect({ agency, path, found: found(await response.text()) }).toEqual({ agency, path, found: [] });
      }
    }
    for (const agency of loadAgencies().map((a) => a.id)) {
      const log = readFileSync(join(system.dir, `${agency}.log`), 'utf8');
      expect({ agency, log: found(log) }).toEqual({ agency, log: [] });
    }

    const records = await everyRecord();
    const clear = records.flatMap((r) =>
      found([r.key ?? '', r.value?.toString('utf8') ?? '', JSON.stringify(r.headers)].join('\n')),
    );
    expect(clear).toEqual([]);
    const fields = await sealedFieldsOfRequest();
    expect(fields).toHaveLength(2);
    for (const field of fields) {
      expect([await openWith('bwi', field), await openWith('accio', field)]).toEqual([
        'PASSPORT_SEAL_KEY_UNAVAILABLE',
        'PASSPORT_SEAL_KEY_UNAVAILABLE',
      ]);
    }
  }, 180_000);

  it('erases a candidate at the partner: the home agency erases its copy and key, no database holds the candidate and its sealed copy opens nowhere', async () => {
    await introduceAndAccept();
    const candidateOnly = (text: string) =>
      found(text).filter((value) => !Object.values({ ...FIRM.contact, name: FIRM.name }).includes(value));
    expect(candidateOnly(databaseText(system.dbFiles.bwi as string))).toContain(CANDIDATE.contact.email);

    // Asked from the admin console, which makes the same API call as a back office.
    process.env.PASSPORT_API_KEY = system.apiKey;
    const cli = await passport([
      'erase',
      'candidate',
      requestId,
      CANDIDATE_REF,
      '--service',
      system.services.accio?.url as string,
      '--yes',
      '--json',
    ]).finally(() => delete process.env.PASSPORT_API_KEY);
    expect({ code: cli.code, err: cli.err }).toEqual({ code: 0, err: '' });
    const erased = cli.json<{ eventIds: string[] }>();

    const homeRecord = await eventually(async () => {
      const records = await system.call<Array<{ role: string; requestedBy: string; eventIds: string[] }>>(
        'bwi',
        'GET',
        `/erasures/${requestId}`,
      );
      return records.body[0];
    }, 'the erasure record at bwi');
    expect(homeRecord).toEqual(
      expect.objectContaining({ role: 'home', requestedBy: 'accio', eventIds: erased.eventIds }),
    );
    for (const agency of ['bwi', 'accio'])
      expect({ agency, found: candidateOnly(databaseText(system.dbFiles[agency] as string)) }).toEqual({
        agency,
        found: [],
      });
    const [sealedCandidate] = (await sealedFieldsOfRequest()).filter(
      (f) => f.context.field === 'sealedCandidate',
    );
    expect(sealedCandidate).toBeDefined();
    if (sealedCandidate)
      expect([await openWith('bwi', sealedCandidate), await openWith('accio', sealedCandidate)]).toEqual([
        'PASSPORT_SEAL_KEY_UNAVAILABLE',
        'PASSPORT_SEAL_KEY_UNAVAILABLE',
      ]);
  }, 180_000);
});
