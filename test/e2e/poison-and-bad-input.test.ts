import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createKafka, createSchemaRegistry } from '@passport/bus';
import { deadLetterTopicOf, loadAgencies, TOPICS } from '@passport/config';
import {
  avroType,
  buildHeaders,
  EventCodec,
  frame,
  REGISTRY_AVRO_OPTIONS,
  topicSchema,
  validateOutgoing,
} from '@passport/events';
import { logLevel, type IHeaders } from 'kafkajs';
import { introductionRequestedSample, outcomeReportedSample } from '../fixtures/events';
import { adminConnection } from '../support/cluster';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { signAs, testTrust } from '../support/test-trust';

const PARTITIONS = 6;

/** One poison message per partition of each consumed topic, each broken in another way. */
async function poisonMessages(): Promise<
  Array<{ topic: string; value: Buffer; headers?: IHeaders; signer?: string; expectedCode: string }>
> {
  const codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  const garbage = Buffer.from('definitely not avro');
  const unknownSchema = frame(987_654, Buffer.from([1, 2, 3]));
  // Valid Avro, but the event breaks a rule zod enforces: an introduction addressed to its own sender.
  const selfAddressed = {
    ...introductionRequestedSample,
    eventId: randomUUID(),
    payload: { ...introductionRequestedSample.payload, addressedTo: 'bwi' },
  };
  const introType = avroType(topicSchema(TOPICS.introductions));
  const { type: _type, payload, ...meta } = selfAddressed;
  const invalidEvent = frame(
    codec.schemaIdOf(TOPICS.introductions),
    introType.toBuffer({ ...meta, payload: { 'eu.fourmotors.passport.IntroductionRequested': payload } }),
  );
  // A valid outcome whose CloudEvents headers are missing.
  const outcome = codec.encode({ ...outcomeReportedSample, eventId: randomUUID() });
  return [
    {
      topic: TOPICS.cooperationRequests,
      value: garbage,
      headers: buildHeaders(validateOutgoing({ ...outcomeReportedSample })),
      signer: outcomeReportedSample.source,
      expectedCode: 'PASSPORT_EVENT_UNDECODABLE',
    },
    {
      topic: TOPICS.candidateReplies,
      value: unknownSchema,
      headers: buildHeaders(validateOutgoing({ ...outcomeReportedSample })),
      signer: outcomeReportedSample.source,
      expectedCode: 'PASSPORT_EVENT_UNDECODABLE',
    },
    {
      topic: TOPICS.introductions,
      value: invalidEvent,
      headers: buildHeaders(validateOutgoing(introductionRequestedSample)),
      signer: introductionRequestedSample.source,
      expectedCode: 'PASSPORT_EVENT_INVALID',
    },
    // No headers, so no signature either: refused before it is decoded.
    { topic: TOPICS.outcomes, value: outcome.value, expectedCode: 'PASSPORT_SIGNATURE_MISSING' },
  ];
}

async function deadLetters(
  keys: Set<string>,
  expected: number,
): Promise<Array<{ key: string; topic: string; headers: Record<string, string> }>> {
  const consumer = createKafka(adminConnection(), {
    clientId: 'dlq-reader',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `dlq-reader-${randomUUID()}` });
  await consumer.connect();
  // Each agency parks on its own dead-letter topic.
  const topics = loadAgencies().map((agency) => deadLetterTopicOf(agency.id));
  await consumer.subscribe({ topics, fromBeginning: true });
  const found: Array<{ key: string; topic: string; headers: Record<string, string> }> = [];
  // A dead letter resent because its first copy was not read back in time appears twice: counted once.
  const dlqIds = new Set<string>();
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`found ${found.length} of ${expected} dead letters`)),
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          const key = message.key?.toString() ?? '';
          if (!keys.has(key)) return;
          const dlqId = message.headers?.dlq_id?.toString() ?? '';
          if (dlqIds.has(dlqId)) return;
          dlqIds.add(dlqId);
          found.push({
            key,
            topic,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            ),
          });
          if (found.length >= expected) {
            clearTimeout(timer);
            resolvePromise();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

describe('poison messages and bad input', () => {
  let system: AgencySystem;

  beforeAll(async () => {
    // aura runs on PostgreSQL, the others on SQLite: the flow below crosses both stores.
    system = await startAgencySystem(28_111, { onPostgres: ['aura'] });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('parks a poison message on every partition of every consumed topic in the dead-letter topic, and the flow goes on', async () => {
    const producer = createKafka(adminConnection(), {
      clientId: 'poisoner',
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const keys = new Set<string>();
    const poisons = await poisonMessages();
    const trust = await testTrust();
    for (const poison of poisons) {
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        const key = randomUUID();
        keys.add(key);
        const message = { key, value: poison.value, ...(poison.headers ? { headers: poison.headers } : {}) };
        // Signed by the agency its headers name, so each is refused for what it is, not for lack of a signature.
        const signed = poison.signer ? signAs(trust, poison.signer, poison.topic, message) : message;
        await producer.send({ topic: poison.topic, acks: -1, messages: [{ ...signed, partition }] });
      }
    }
    await producer.disconnect();

    // Each of the four services' consumer groups parks each poison message once.
    const parked = await deadLetters(keys, keys.size * 4);
    for (const poison of poisons) {
      const fromTopic = parked.filter((p) => p.headers.dlq_original_topic === poison.topic);
      expect({ topic: poison.topic, count: fromTopic.length }).toEqual({
        topic: poison.topic,
        count: PARTITIONS * 4,
      });
      expect(new Set(fromTopic.map((p) => p.headers.dlq_error_code))).toEqual(new Set([poison.expectedCode]));
      expect(fromTopic[0]?.headers).toMatchObject({
        dlq_original_partition: expect.stringMatching(/^\d$/),
        dlq_original_offset: expect.stringMatching(/^\d+$/),
        dlq_consumer_group: expect.stringMatching(/^(bwi|aura|accio|promos)\.e2e-/),
      });
    }
    for (const letter of parked) {
      const agency = letter.headers.dlq_consumer_group?.split('.')[0] ?? '';
      expect(letter.topic).toBe(deadLetterTopicOf(agency));
    }
    const invalid = parked.find((p) => p.headers.dlq_original_topic === TOPICS.introductions);
    expect(invalid?.headers.dlq_error_path).toBe('payload.addressedTo');
    expect(parked.every((p) => /^[0-9a-f-]{36}$/.test(p.headers.dlq_id ?? ''))).toBe(true);

    // Each service read its dead letters back: none left queued or unconfirmed, and it is ready.
    for (const agency of Object.keys(system.services))
      await eventually(async () => {
        const text = await (await fetch(`${system.services[agency]?.url}/metrics`)).text();
        const value = (name: string) =>
          Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
        const settled =
          value('passport_dead_letters_backlog') === 0 && value('passport_dead_letters_unconfirmed') === 0;
        const ready = await fetch(`${system.services[agency]?.url}/readyz`);
        return settled && ready.ok ? true : undefined;
      }, `${agency}'s dead letters to be read back`);

    // Behind the poison, on every partition, the exchange still works.
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await system.call<{ requestId: string }>('promos', 'POST', '/requests', {
      firm: {
        name: 'Meccanica Esempio Srl',
        contact: {
          fullName: 'Anna Rossi',
          role: null,
          email: 'anna@esempio.example',
          phone: null,
          preferredLanguage: 'it',
        },
      },
      profile: {
        kind: 'SUPPLIER',
        title: 'Supplier of aluminium die castings',
        summary: 'A Lombard machine builder seeks die-casting suppliers.',
        description: 'Aluminium housings, small series.',
        textLanguage: 'en',
        sectors: [{ code: '24.53', revision: 'REV_2' }],
        partnershipTypes: ['SUPPLY_CONTRACT'],
        targetAgencies: ['bwi', 'aura', 'accio'],
        workingLanguages: ['it', 'en'],
        deadline,
        firm: { sizeBand: 'MEDIUM', nutsRegion: 'ITC4', exportExperience: 'REGULAR' },
      },
    });
    expect(created.status).toBe(201);
    await eventually(async () => {
      const detail = await system.call<{ partners: Array<{ status: string }> }>(
        'promos',
        'GET',
        `/requests/${created.body.requestId}`,
      );
      return detail.body.partners.every((p) => p.status === 'acknowledged') ? true : undefined;
    }, 'acknowledgements after the poison');
  }, 180_000);

  describe('bad input gets a 4xx naming the field, and nothing is stored or published', () => {
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const firm = {
      name: 'Firma Beispiel GmbH',
      contact: {
        fullName: 'Max Muster',
        role: null,
        email: 'max@beispiel.example',
        phone: null,
        preferredLanguage: 'de',
      },
    };
    const profile = {
      kind: 'PARTNER',
      title: 'Technology partner for sensor fusion',
      summary: 'A Stuttgart start-up seeks a partner for sensor fusion.',
      description: 'Lidar and radar fusion for agricultural machines.',
      textLanguage: 'en',
      sectors: [{ code: '26.51', revision: 'REV_2' }],
      partnershipTypes: ['TECHNICAL_COOPERATION'],
      targetAgencies: ['aura'],
      workingLanguages: ['en'],
      deadline,
      firm: { sizeBand: 'MICRO', nutsRegion: 'DE11', exportExperience: 'NONE' },
    };
    const withProfile = (change: Record<string, unknown>) => ({ firm, profile: { ...profile, ...change } });
    const { title: _t, ...profileWithoutTitle } = profile;

    const cases: Array<[string, string, unknown, number, string]> = [
      ['empty body', '/requests', {}, 400, 'firm'],
      ['missing profile', '/requests', { firm }, 400, 'profile'],
      ['missing firm', '/requests', { profile }, 400, 'firm'],
      ['missing title', '/requests', { firm, profile: profileWithoutTitle }, 400, 'profile.title'],
      ['title not a string', '/requests', withProfile({ title: 42 }), 400, 'profile.title'],
      ['blank title', '/requests', withProfile({ title: '   ' }), 400, 'profile.title'],
      ['oversize title', '/requests', withProfile({ title: 'x'.repeat(201) }), 400, 'profile.title'],
      ['oversize summary', '/requests', withProfile({ summary: 'y'.repeat(501) }), 400, 'profile.summary'],
      [
        'e-mail in the summary',
        '/requests',
        withProfile({ summary: 'write to max@beispiel.example' }),
        400,
        'profile.summary',
      ],
      [
        'phone in the description',
        '/requests',
        withProfile({ description: 'call +49 711 987 6543' }),
        400,
        'profile.description',
      ],
      ['unknown kind', '/requests', withProfile({ kind: 'FRIEND' }), 400, 'profile.kind'],
      [
        'unknown target agency',
        '/requests',
        withProfile({ targetAgencies: ['aura', 'narnia'] }),
        400,
        'profile.targetAgencies.1',
      ],
      ['no target agency', '/requests', withProfile({ targetAgencies: [] }), 400, 'profile.targetAgencies'],
      [
        'sender among targets',
        '/requests',
        withProfile({ targetAgencies: ['bwi', 'aura'] }),
        422,
        'profile.targetAgencies',
      ],
      [
        'deadline in the past',
        '/requests',
        withProfile({ deadline: '2020-01-01T00:00:00Z' }),
        422,
        'profile.deadline',
      ],
      ['deadline not a date', '/requests', withProfile({ deadline: 'next week' }), 400, 'profile.deadline'],
      [
        'targets not an array',
        '/requests',
        withProfile({ targetAgencies: 'aura' }),
        400,
        'profile.targetAgencies',
      ],
      [
        'malformed NACE code',
        '/requests',
        withProfile({ sectors: [{ code: '2651', revision: 'REV_2' }] }),
        400,
        'profile.sectors.0.code',
      ],
      ['no sector', '/requests', withProfile({ sectors: [] }), 400, 'profile.sectors'],
      [
        'bad HS code',
        '/requests',
        withProfile({ productCodes: [{ scheme: 'HS', code: '9' }] }),
        400,
        'profile.productCodes.0.code',
      ],
      ['unsupported language', '/requests', withProfile({ textLanguage: 'xx' }), 400, 'profile.textLanguage'],
      [
        'bad NUTS region',
        '/requests',
        withProfile({ firm: { ...profile.firm, nutsRegion: 'Stuttgart' } }),
        400,
        'profile.firm.nutsRegion',
      ],
      [
        'future founding year',
        '/requests',
        withProfile({ firm: { ...profile.firm, foundingYear: 3000 } }),
        400,
        'profile.firm.foundingYear',
      ],
      [
        'contact e-mail malformed',
        '/requests',
        { firm: { ...firm, contact: { ...firm.contact, email: 'max-at-beispiel' } }, profile },
        400,
        'firm.contact.email',
      ],
      [
        'contact phone malformed',
        '/requests',
        { firm: { ...firm, contact: { ...firm.contact, phone: '0711 12345' } }, profile },
        400,
        'firm.contact.phone',
      ],
      ['unknown top-level field', '/requests', { firm, profile, extra: true }, 400, ''],
      ['close with unknown reason', `/requests/${randomUUID()}/close`, { reason: 'BORED' }, 400, 'reason'],
      [
        'outcome with bad agreement type',
        `/requests/${randomUUID()}/outcomes`,
        { outcome: 'AGREEMENT_SIGNED', agreementType: 'HANDSHAKE' },
        400,
        'agreementType',
      ],
      [
        'introduction without consent',
        `/requests/${randomUUID()}/introductions`,
        { candidateRef: 'x-1' },
        400,
        'consent',
      ],
      [
        'introduction with malformed candidateRef',
        `/requests/${randomUUID()}/introductions`,
        { candidateRef: 'has spaces', consent: { givenAt: deadline, method: 'WRITTEN' } },
        400,
        'candidateRef',
      ],
      ['candidates empty', `/inbox/${randomUUID()}/candidates`, { candidates: [] }, 400, 'candidates'],
      [
        'candidate score above 1',
        `/inbox/${randomUUID()}/candidates`,
        {
          candidates: [
            {
              candidateRef: 'c1',
              profile: {
                sectors: [{ code: '28', revision: 'REV_2' }],
                sizeBand: 'SMALL',
                nutsRegion: 'FRK',
                offerSummary: 'Gears',
              },
              matchScore: 2,
              rationale: 'Fits',
            },
          ],
        },
        400,
        'candidates.0.matchScore',
      ],
      ['no-candidates without reason', `/inbox/${randomUUID()}/no-candidates`, {}, 400, 'reason'],
      [
        'accept with a malformed contact e-mail',
        `/inbox/${randomUUID()}/introductions/c1/accept`,
        {
          candidateName: 'X',
          contact: {
            fullName: 'Y',
            role: null,
            email: 'not-an-address',
            phone: null,
            preferredLanguage: 'es',
          },
          consent: { givenAt: deadline, method: 'WRITTEN' },
        },
        400,
        'contact.email',
      ],
      [
        'decline with unknown reason',
        `/inbox/${randomUUID()}/introductions/c1/decline`,
        { reason: 'BUSY' },
        400,
        'reason',
      ],
    ];

    function counts(): { requests: number; outbox: number; keys: number } {
      const db = new Database(system.dbFiles.bwi as string, { readonly: true });
      try {
        const count = (table: string) =>
          (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        return { requests: count('own_requests'), outbox: count('outbox'), keys: count('idempotency_keys') };
      } finally {
        db.close();
      }
    }

    it(`refuses ${cases.length} malformed bodies with the field path`, async () => {
      expect(cases.length).toBeGreaterThanOrEqual(30);
      const before = counts();
      for (const [name, path, body, status, fieldPath] of cases) {
        const response = await system.call<{ error: { code: string; issues?: Array<{ path: string }> } }>(
          'bwi',
          'POST',
          path,
          body,
        );
        expect({ name, status: response.status }).toEqual({ name, status });
        expect({ name, paths: response.body.error.issues?.map((i) => i.path) }).toEqual({
          name,
          paths: expect.arrayContaining([fieldPath]),
        });
      }
      expect(counts()).toEqual(before);
    });

    it('refuses malformed JSON, a missing API key, unknown requests and a reused Idempotency-Key, storing nothing', async () => {
      const before = counts();
      const malformed = await system.call<{ error: { code: string } }>(
        'bwi',
        'POST',
        '/requests',
        '{"firm": ',
      );
      expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'PASSPORT_BODY_INVALID' } } });
      const anonymous = await fetch(`${system.services.bwi?.url}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ firm, profile }),
      });
      expect(anonymous.status).toBe(401);
      const wrongKey = await fetch(`${system.services.bwi?.url}/requests`, {
        headers: { authorization: 'Bearer not-the-key' },
      });
      expect(wrongKey.status).toBe(401);
      expect((await system.call('bwi', 'GET', `/requests/${randomUUID()}`)).status).toBe(404);
      expect(
        (await system.call('bwi', 'POST', `/requests/${randomUUID()}/close`, { reason: 'WITHDRAWN' })).status,
      ).toBe(404);
      expect(counts()).toEqual(before);

      const key = `retry-${randomUUID()}`;
      const first = await system.call<{ requestId: string }>(
        'bwi',
        'POST',
        '/requests',
        { firm, profile },
        { 'idempotency-key': key },
      );
      const again = await system.call<{ requestId: string }>(
        'bwi',
        'POST',
        '/requests',
        { firm, profile },
        { 'idempotency-key': key },
      );
      expect(first.status).toBe(201);
      expect(again).toEqual(first);
      const reused = await system.call<{ error: { code: string } }>(
        'bwi',
        'POST',
        '/requests',
        withProfile({ title: 'Another title entirely' }),
        { 'idempotency-key': key },
      );
      expect(reused).toMatchObject({
        status: 422,
        body: { error: { code: 'PASSPORT_IDEMPOTENCY_KEY_REUSED' } },
      });
      expect(counts()).toEqual({
        requests: before.requests + 1,
        outbox: before.outbox + 1,
        keys: before.keys + 1,
      });
    });
  });
});
