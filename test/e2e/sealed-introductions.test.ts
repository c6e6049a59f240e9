import { randomUUID } from 'node:crypto';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, type EventTopic } from '@passport/events';
import { readRange, type RangeMessage } from '@passport/streams';
import { logLevel, type Admin } from 'kafkajs';
import { cooperationRequestedSample } from '../fixtures/events';
import { adminConnection, agencyConnection } from '../support/cluster';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import {
  deadLetterMarks,
  deadLettersSince,
  hostilePartner,
  type HostilePartner,
} from '../support/hostile-partner';

const DAY = 86_400_000;
const FIRM = {
  name: 'Sealwerk Example GmbH',
  contact: {
    fullName: 'Hannelore Siegel',
    role: null,
    email: 'hannelore.siegel@sealwerk.example',
    phone: '+497119876543',
    preferredLanguage: 'de',
  },
};
const CANDIDATE = {
  candidateName: 'Engranatges Secrets SL',
  contact: {
    fullName: 'Montserrat Xifrat',
    role: null,
    email: 'montserrat.xifrat@engranatges.example',
    phone: null,
    preferredLanguage: 'ca',
  },
};
/** What no agency but the addressed one may find on the exchange, in any byte of any record. */
const PERSONAL = [
  FIRM.name,
  FIRM.contact.fullName,
  FIRM.contact.email,
  FIRM.contact.phone,
  CANDIDATE.candidateName,
  CANDIDATE.contact.fullName,
  CANDIDATE.contact.email,
];

const consent = () => ({
  givenAt: new Date(Date.now() - 60_000).toISOString(),
  method: 'WRITTEN',
  reference: null,
});
const candidate = (candidateRef: string) => ({
  candidateRef,
  profile: {
    sectors: [{ code: '46.69', revision: 'REV_2' }],
    sizeBand: 'MEDIUM',
    nutsRegion: 'ES511',
    offerSummary: 'Technical distributor of power transmission parts for machine builders.',
  },
  matchScore: 0.8,
  rationale: 'Distributes power transmission parts to machine builders.',
});

type Detail = {
  introductions: Array<{ candidateRef: string; status: string; candidateName: string | null }>;
  candidates: Array<{ candidateRef: string }>;
};

/**
 * ACCIÓ starts as a version before sealing (SEALED_INTRODUCTIONS=off: it announces no key and
 * answers in clear) and BW_i allows the clear fallback for it; then ACCIÓ is upgraded.
 */
describe('sealed introductions on the real broker, through a rolling upgrade', () => {
  let system: AgencySystem;
  let admin: Admin;
  let promos: HostilePartner;
  const env: Record<string, Record<string, string>> = {
    bwi: { SEALED_INTRODUCTIONS: 'fallback-to-clear' },
    accio: { SEALED_INTRODUCTIONS: 'off' },
  };

  beforeAll(async () => {
    system = await startAgencySystem(28_221, { env });
    admin = createKafka(adminConnection(), { clientId: 'e2e-sealed', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    promos = await hostilePartner('promos');
  }, 120_000);

  afterAll(async () => {
    await promos?.close();
    await admin?.disconnect();
    await system?.stop();
  }, 60_000);

  const post = async (agency: string, path: string, body: unknown) => {
    const response = await system.call(agency, 'POST', path, body);
    // The body is shown when refused: it names the reason.
    expect(response.status === 201 ? 201 : response.body).toBe(201);
  };

  /** A request from `home` to ACCIÓ, answered by hand with `candidateRef`: returns its id. */
  async function answeredByAccio(home: string, candidateRef: string): Promise<string> {
    const created = await system.call<{ requestId: string }>(home, 'POST', '/requests', {
      firm: FIRM,
      profile: {
        ...cooperationRequestedSample.payload.profile,
        targetAgencies: ['accio'],
        deadline: new Date(Date.now() + 30 * DAY),
      },
    });
    expect(created.status === 201 ? 201 : created.body).toBe(201);
    const { requestId } = created.body;
    await eventually(async () => {
      const inbox = await system.call<Array<{ requestId: string }>>('accio', 'GET', '/inbox');
      return inbox.body.some((entry) => entry.requestId === requestId) ? true : undefined;
    }, 'the request at accio');
    await post('accio', `/inbox/${requestId}/candidates`, { candidates: [candidate(candidateRef)] });
    await eventually(async () => {
      const detail = await system.call<Detail>(home, 'GET', `/requests/${requestId}`);
      return detail.body.candidates.length ? true : undefined;
    }, 'the candidate');
    return requestId;
  }

  /** A request from BW_i to ACCIÓ, answered by hand, introduced and accepted: returns its id. */
  async function introduceAndAccept(candidateRef: string): Promise<string> {
    const requestId = await answeredByAccio('bwi', candidateRef);
    const detail = () => system.call<Detail>('bwi', 'GET', `/requests/${requestId}`);
    await post('bwi', `/requests/${requestId}/introductions`, { candidateRef, consent: consent() });
    await eventually(async () => {
      const entry = await system.call<{ introductions: Array<{ firmName: string | null }> }>(
        'accio',
        'GET',
        `/inbox/${requestId}`,
      );
      return entry.body.introductions[0]?.firmName === FIRM.name ? true : undefined;
    }, 'the firm, readable by accio');
    await post('accio', `/inbox/${requestId}/introductions/${candidateRef}/accept`, {
      ...CANDIDATE,
      consent: consent(),
    });
    await eventually(async () => {
      const intro = (await detail()).body.introductions[0];
      return intro?.status === 'accepted' && intro.candidateName === CANDIDATE.candidateName
        ? true
        : undefined;
    }, 'the candidate, readable by bwi');
    return requestId;
  }

  /** Every record of the request on `topic`, read with PROMOS's own principal: what a third agency sees. */
  async function readAsPromos(topic: string, requestId: string): Promise<RangeMessage[]> {
    const ends = await admin.fetchTopicOffsets(topic);
    const spans = ends.map((o) => ({ partition: o.partition, start: 0n, end: BigInt(o.high) }));
    const kafka = createKafka(agencyConnection('promos'), {
      clientId: 'promos-reader',
      logLevel: logLevel.NOTHING,
    });
    const found: RangeMessage[] = [];
    await readRange(kafka, topic, spans, (m) => void (m.key === requestId && found.push(m)), {
      groupPrefix: 'promos.e2e-sealed-reader',
    });
    return found;
  }

  const clearIn = (records: readonly RangeMessage[]) =>
    records.flatMap((record) => {
      const bytes = [
        record.key ?? '',
        record.value?.toString('utf8') ?? '',
        record.value?.toString('latin1') ?? '',
        JSON.stringify(record.headers),
      ].join('\n');
      return PERSONAL.filter((value) => bytes.includes(value as string));
    });

  let sealedRequestId = '';

  it('completes with an old partner in clear on v1, then sealed on v2 once it is upgraded', async () => {
    const oldFlow = await introduceAndAccept('accio-old-1');
    const oldOnV1 = await readAsPromos(TOPICS.introductions, oldFlow);
    expect(oldOnV1.map((r) => r.headers.ce_type?.split('.').at(-2)).sort()).toEqual([
      'IntroductionAccepted',
      'IntroductionRequested',
    ]);

    // AURA keeps the default: it sends nothing in clear to the old ACCIÓ, and says why.
    const refused = await answeredByAccio('aura', 'accio-old-2');
    const asked = await system.call<{ error: { code: string; message: string } }>(
      'aura',
      'POST',
      `/requests/${refused}/introductions`,
      { candidateRef: 'accio-old-2', consent: consent() },
    );
    expect(asked.status).toBe(409);
    expect(asked.body.error.message).toMatch(/accio announced no introduction key.*SEALED_INTRODUCTIONS/);
    expect(await readAsPromos(TOPICS.introductions, refused)).toEqual([]);

    await system.services.accio?.stop();
    delete env.accio?.SEALED_INTRODUCTIONS;
    await system.restart('accio');

    sealedRequestId = await introduceAndAccept('accio-new-1');
    expect(await readAsPromos(TOPICS.introductions, sealedRequestId)).toEqual([]);
    const onV2 = await readAsPromos(TOPICS.sealedIntroductions, sealedRequestId);
    expect(onV2.map((r) => r.headers.ce_type?.split('.').at(-2)).sort()).toEqual([
      'SealedIntroductionAccepted',
      'SealedIntroductionRequested',
    ]);
    // Another agency's principal reads v2 and finds no name, contact or e-mail in clear.
    expect(clearIn(onV2)).toEqual([]);
  }, 180_000);

  it('parks a sealed field a third agency moved into an event of its own, changing nothing', async () => {
    expect(sealedRequestId).not.toBe('');
    const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
    const [record] = (await readAsPromos(TOPICS.sealedIntroductions, sealedRequestId)).filter((r) =>
      r.headers.ce_type?.includes('SealedIntroductionRequested'),
    );
    const original = await codec.decode(TOPICS.sealedIntroductions as EventTopic, record?.value);
    const marks = await deadLetterMarks(admin);
    const moved = {
      ...original,
      eventId: randomUUID(),
      occurredAt: new Date(),
      source: 'promos',
      causationId: null,
    };
    await promos.send(moved as unknown as Record<string, unknown>);
    const letter = await eventually(async () => {
      const letters = await deadLettersSince(admin, marks);
      return letters.find(
        (l) => l.headers.ce_id === moved.eventId && l.headers.dlq_consumer_group?.startsWith('accio.'),
      );
    }, 'the moved field parked by accio');
    expect(letter.headers.dlq_error_code).toBe('PASSPORT_SEAL_INVALID');
    expect(clearIn([letter])).toEqual([]);
    const entry = await system.call<{ introductions: Array<{ firmName: string; status: string }> }>(
      'accio',
      'GET',
      `/inbox/${sealedRequestId}`,
    );
    expect(entry.body.introductions).toEqual([
      expect.objectContaining({ firmName: FIRM.name, status: 'accepted' }),
    ]);
  }, 120_000);
});
