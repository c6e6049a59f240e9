import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchemaRegistry } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, toKafkaMessage, validateOutgoing } from '@passport/events';
import {
  formatSignatureHeader,
  loadOrCreateAgencyKeys,
  SIGNATURE_HEADER,
  signedBytes,
  signRecord,
  type AgencyKeys,
} from '@passport/trust';
import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { consumeBatch, type BatchDeps } from '@passport/agency-service/kafka/event-consumer';
import { CandidateRefs } from '@passport/agency-service/matching/candidate-refs';
import { Matcher } from '@passport/agency-service/matching/matcher';
import { createMetrics } from '@passport/agency-service/metrics';
import { upsertCompanies } from '@passport/agency-service/store/directory';
import { addToOutbox } from '@passport/agency-service/store/outbox';
import { unpublishedDeadLetters } from '@passport/agency-service/store/dead-letter-outbox';
import { gearDistributor } from '../../../fixtures/directory';
import { cooperationRequestedSample } from '../../../fixtures/events';
import { insertSampleOwnRequests, SAMPLE_CANDIDATE_REF } from '../../../fixtures/own-requests';
import type { LocalTrust } from '@passport/infra/system/trust-list-file';
import { adminConnection } from '../../../support/cluster';
import { signAs, testTrust } from '../../../support/test-trust';

const bwi = loadAgencies().find((a) => a.id === 'bwi') as Agency;

let codec: EventCodec;
let trust: LocalTrust;
let db: Database;
let deps: BatchDeps;
let requestId: string;
let applyCalls: number;
let parkCalls: number;

const outcome = (eventId: string, forRequest: string, summary: string | null = null, source = 'aura') => ({
  eventId,
  occurredAt: new Date(),
  source,
  requestId: forRequest,
  correlationId: forRequest,
  type: 'OutcomeReported',
  payload: { outcome: 'MEETING_HELD', summary, candidateRef: SAMPLE_CANDIDATE_REF },
});

/**
 * Messages as kafkajs hands them over, offsets counted from `first`; events signed by their source,
 * bytes unsigned.
 */
function messages(events: Array<object | Buffer>, first = 0): KafkaMessage[] {
  return events.map((event, index) => {
    const encoded = Buffer.isBuffer(event) ? { value: event, headers: {} } : signedBySource(event);
    return {
      key: Buffer.from(requestId),
      value: encoded.value as Buffer,
      headers: encoded.headers as KafkaMessage['headers'],
      offset: String(first + index),
      timestamp: String(Date.now()),
      attributes: 0,
      size: 0,
    } as KafkaMessage;
  });
}

function signedBySource(event: object) {
  const { topic, event: valid, message } = toKafkaMessage(codec, validateOutgoing(event));
  return signAs(trust, valid.source, topic, { ...message, key: Buffer.from(requestId) });
}

/** A message changed after its source signed it, signed again by that source. */
function resigned(message: KafkaMessage, source: string): KafkaMessage {
  return signAs(trust, source, TOPICS.outcomes, message);
}

/**
 * `message` signed with `agencyId`'s key whatever its ce_source says, as a partner would forge it
 * (signRecord itself refuses to sign for another source).
 */
function signedByOther(agencyId: string, message: KafkaMessage): KafkaMessage {
  const record = { topic: TOPICS.outcomes, key: message.key, value: message.value, headers: message.headers };
  const { keyId, signature } = (trust.keys[agencyId] as AgencyKeys).sign(signedBytes(record));
  return {
    ...message,
    headers: { ...message.headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) },
  } as KafkaMessage;
}

function control(resolved: string[]) {
  return {
    resolveOffset: (offset: string) => void resolved.push(offset),
    heartbeat: async () => undefined,
    shouldStop: () => false,
  };
}

const count = async (sql: string) =>
  Number((await db.query<{ n: number }>(sql, [requestId]))[0]?.n ?? Number.NaN);

/** The dead letters queued in the database, oldest first, their headers as text. */
async function queuedDeadLetters() {
  const rows = await unpublishedDeadLetters(db, 100);
  return rows.map((row) => ({
    ...row,
    text: Object.fromEntries(row.headers.map(([name, value]) => [name, value.toString('utf8')])),
  }));
}

beforeAll(async () => {
  codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  trust = await testTrust();
});

beforeEach(async () => {
  db = openSqlite(join(mkdtempSync(join(tmpdir(), 'consume-batch-')), 'bwi.db'));
  await migrate(db);
  requestId = randomUUID();
  await insertSampleOwnRequests(db, [requestId]);
  applyCalls = 0;
  parkCalls = 0;
  deps = {
    db,
    agency: bwi,
    codec,
    trustList: trust.trustList,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics('bwi'),
    consumerGroup: 'bwi.consume-batch-it',
    handlerTimeoutMs: 10_000,
    matcher: new Matcher({ mode: 'review', topN: 5, threshold: 0.5 }),
    candidateRefs: new CandidateRefs('bwi', 'a-test-secret-of-at-least-32-characters'),
    webhooks: false,
    afterApply: () => void (applyCalls += 1),
    afterPark: () => void (parkCalls += 1),
  };
});

afterEach(async () => {
  await db.close();
});

describe('consumeBatch', () => {
  it('applies good events once, parks the poison one and resolves every offset in order', async () => {
    const first = randomUUID();
    const batch = messages([
      outcome(first, requestId),
      outcome(randomUUID(), requestId),
      Buffer.from('definitely not Avro'),
      outcome(first, requestId), // a redelivered copy of offset 0
      outcome(randomUUID(), randomUUID()), // a request we never sent
      outcome(randomUUID(), requestId, null, 'bwi'), // our own, back from the shared topic
      outcome(randomUUID(), requestId),
    ]);
    const resolved: string[] = [];

    await consumeBatch(deps, TOPICS.outcomes, 0, batch, control(resolved));

    expect(resolved).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(await count('SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?')).toBe(3);
    const skippedOwn = (await deps.metrics.eventsIn.get()).values.find(
      (v) => v.labels.result === 'skipped' && v.labels.type === 'OutcomeReported',
    );
    expect(skippedOwn?.value).toBe(2); // the foreign request's event and our own
    expect(
      await count("SELECT COUNT(*) AS n FROM feed WHERE request_id = ? AND kind = 'outcome.reported'"),
    ).toBe(3);
    const parked = await deps.metrics.deadLetters.get();
    expect(parked.values.map((v) => v.value)).toEqual([1]);
    // One run before the poison message, one after it.
    expect(applyCalls).toBe(2);
  });

  it('passes over its own events by their id in its outbox without decoding them', async () => {
    const own = validateOutgoing(outcome(randomUUID(), requestId, null, 'bwi'));
    await db.transaction((tx) => addToOutbox(tx, own as never, 'unused-traceparent'));
    const [echo, impostor] = messages([own, outcome(randomUUID(), requestId, null, 'bwi')]);
    const batch = [
      echo,
      // Our source and id, but a value that is not Avro: recognised by its id, so never decoded.
      resigned({ ...echo, value: Buffer.from('not Avro'), offset: '1' } as KafkaMessage, 'bwi'),
      // Claims our source with an id we never wrote: the full path, which applies nothing of ours…
      { ...impostor, offset: '2' },
      // …and parks a broken one on the dead-letter topic.
      resigned({ ...impostor, value: Buffer.from('not Avro either'), offset: '3' } as KafkaMessage, 'bwi'),
    ] as KafkaMessage[];
    const decode = jest.spyOn(codec, 'decode');
    const resolved: string[] = [];

    await consumeBatch(deps, TOPICS.outcomes, 0, batch, control(resolved));

    expect(resolved).toEqual(['0', '1', '2', '3']);
    expect(decode).toHaveBeenCalledTimes(2);
    decode.mockRestore();
    const counted = (await deps.metrics.eventsIn.get()).values.map((v) => [v.labels.result, v.value]);
    expect(counted).toEqual([['skipped', 3]]);
    expect((await deps.metrics.deadLetters.get()).values.map((v) => v.value)).toEqual([1]);
    expect(await count('SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?')).toBe(0);
    expect(applyCalls).toBe(0);
  });

  it.each([
    ['echo', true],
    ['ack', false],
  ] as const)(
    'with OUTBOX_CONFIRMATION=%s, its own event read back confirms its outbox row: %s',
    async (confirmation, confirms) => {
      const own = validateOutgoing(outcome(randomUUID(), requestId, null, 'bwi'));
      await db.transaction((tx) => addToOutbox(tx, own as never, 'unused-traceparent'));
      const resolved: string[] = [];

      await consumeBatch(
        { ...deps, outboxConfirmation: confirmation },
        TOPICS.outcomes,
        0,
        messages([own]),
        control(resolved),
      );

      expect(resolved).toEqual(['0']);
      const [row] = await db.query<{ confirmed_at: number | null }>(
        'SELECT confirmed_at FROM outbox WHERE event_id = ?',
        [own.eventId],
      );
      // Under ack the relay confirms a row when the broker takes it, so the echo has nothing to write.
      expect(row?.confirmed_at !== null).toBe(confirms);
    },
  );

  it('parks an event whose effects no retry can make valid, and applies the ones after it', async () => {
    // A directory entry the contract refuses to publish (its disclosable name carries an e-mail
    // address), stored as an older import could have left it: answering a request with it must fail.
    const unpublishable = {
      ...gearDistributor(),
      name: 'Gears sales@gears.example',
      nameDisclosable: true,
    };
    await db.transaction((tx) => upsertCompanies(tx, [unpublishable], Date.now()));
    deps.matcher = new Matcher({ mode: 'auto', topN: 5, threshold: 0.5 });
    await deps.matcher.reload(db);
    const fromAura = (profile: object) => {
      const id = randomUUID();
      return {
        ...cooperationRequestedSample,
        eventId: randomUUID(),
        source: 'aura',
        requestId: id,
        correlationId: id,
        payload: {
          profile: {
            ...cooperationRequestedSample.payload.profile,
            targetAgencies: ['bwi'],
            deadline: new Date(Date.now() + 30 * 86_400_000),
            ...profile,
          },
        },
      };
    };
    const answeredWithTheEntry = fromAura({});
    const matchingNothing = fromAura({
      title: 'Dairy cooperative looks for cheese importers',
      summary: 'A dairy cooperative seeks importers of cheese.',
      description: 'Fresh and aged cheese from alpine pastures.',
      translations: [],
      sectors: [{ code: '10.51', revision: 'REV_2' }],
      productCodes: [],
      keywords: ['cheese'],
      partnershipTypes: ['JOINT_VENTURE'],
    });
    const resolved: string[] = [];

    await consumeBatch(
      deps,
      TOPICS.cooperationRequests,
      0,
      messages([answeredWithTheEntry, matchingNothing]),
      control(resolved),
    );

    expect(resolved).toEqual(['0', '1']);
    const parked = (await deps.metrics.deadLetters.get()).values;
    expect(parked.map((v) => [v.labels.code, v.value])).toEqual([['PASSPORT_EVENT_INVALID', 1]]);
    const inbox = await db.query<{ request_id: string }>('SELECT request_id FROM inbox');
    expect(inbox.map((row) => row.request_id)).toEqual([matchingNothing.requestId]);
    const queued = await db.query<{ event: string }>('SELECT event FROM outbox ORDER BY id');
    expect(queued.map((row) => (JSON.parse(row.event) as { type: string }).type)).toEqual([
      'RequestAcknowledged',
      'NoCandidatesFound',
    ]);
  });

  it('parks a forbidden event after its run commits, and applies every event around it once', async () => {
    const intruder = outcome(randomUUID(), requestId, 'counts for nothing', 'promos');
    const batch = messages([
      outcome(randomUUID(), requestId),
      intruder,
      outcome(randomUUID(), requestId),
      intruder, // sent again: refused again, never taken for a duplicate of something applied
      outcome(randomUUID(), requestId),
    ]);
    const resolved: string[] = [];

    await consumeBatch(deps, TOPICS.outcomes, 0, batch, control(resolved));
    const parked = await queuedDeadLetters();

    expect(resolved).toEqual(['0', '1', '2', '3', '4']);
    const kept = await db.query<{ source: string }>('SELECT source FROM outcomes WHERE request_id = ?', [
      requestId,
    ]);
    expect(kept.map((row) => row.source)).toEqual(['aura', 'aura', 'aura']);
    // One shared transaction for the whole run: refusing an event does not roll back its neighbours.
    expect(applyCalls).toBe(1);
    // Queued for the dead-letter relay, each under an id of its own that its echo is matched by.
    expect(parkCalls).toBe(2);
    expect(new Set(parked.map((letter) => letter.text.dlq_id)).size).toBe(2);
    expect(parked.map((letter) => letter.dlqId)).toEqual(parked.map((letter) => letter.text.dlq_id));
    expect(parked.map((letter) => letter.value?.equals(batch[1]?.value as Buffer))).toEqual([true, true]);
    const headers = parked.map((letter) => letter.text);
    expect(headers.map((h) => [h.dlq_error_code, h.dlq_original_offset])).toEqual([
      ['PASSPORT_EVENT_FORBIDDEN', '1'],
      ['PASSPORT_EVENT_FORBIDDEN', '3'],
    ]);
    expect(String(headers[0]?.dlq_error_message)).toMatch(
      new RegExp(`OutcomeReported for request ${requestId} may come only from .* not promos`),
    );
    const forbidden = (await deps.metrics.eventsForbidden.get()).values;
    expect(forbidden.map((v) => [v.labels.type, v.labels.rule, v.value])).toEqual([
      ['OutcomeReported', 'introduction-party-only', 2],
    ]);
    const results = (await deps.metrics.eventsIn.get()).values.map((v) => [v.labels.result, v.value]);
    expect(results).toEqual(
      expect.arrayContaining([
        ['applied', 3],
        ['forbidden', 2],
      ]),
    );
    const dead = (await deps.metrics.deadLetters.get()).values;
    expect(dead.map((v) => [v.labels.code, v.value])).toEqual([['PASSPORT_EVENT_FORBIDDEN', 2]]);
  });

  it('parks every record whose sender is not proved, with its refusal code, and applies none of them', async () => {
    const [good, unsigned, otherAgency, tampered, unknownKey, after] = messages([
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
    ]) as KafkaMessage[];
    const { passport_signature: _dropped, ...unsignedHeaders } = unsigned?.headers ?? {};
    const rogue = await loadOrCreateAgencyKeys(
      join(mkdtempSync(join(tmpdir(), 'rogue-keys-')), 'aura'),
      'aura',
    );
    const batch = [
      good,
      { ...unsigned, headers: unsignedHeaders },
      // promos really signs it, yet its ce_source says aura: promos speaking for another agency.
      signedByOther('promos', otherAgency as KafkaMessage),
      // Another genuine event's value under this one's signature.
      { ...tampered, value: after?.value },
      { ...unknownKey, headers: signRecord({ ...unknownKey, topic: TOPICS.outcomes } as never, rogue) },
      after,
    ].map((message, index) => ({ ...message, offset: String(index) })) as KafkaMessage[];
    const resolved: string[] = [];

    await consumeBatch(deps, TOPICS.outcomes, 0, batch, control(resolved));

    expect(resolved).toEqual(['0', '1', '2', '3', '4', '5']);
    const kept = await db.query<{ event_id: string }>(
      'SELECT event_id FROM outcomes WHERE request_id = ? ORDER BY event_id',
      [requestId],
    );
    expect(kept).toHaveLength(2); // the first and the last: the consumer went on past every refusal
    const parked = (await queuedDeadLetters()).map((letter) => [
      letter.text.dlq_error_code,
      letter.text.dlq_original_offset,
    ]);
    expect(parked).toEqual([
      ['PASSPORT_SIGNATURE_MISSING', '1'],
      ['PASSPORT_SIGNER_MISMATCH', '2'],
      ['PASSPORT_SIGNATURE_INVALID', '3'],
      ['PASSPORT_KEY_UNKNOWN', '4'],
    ]);
    const unverified = (await deps.metrics.eventsUnverified.get()).values;
    expect(unverified.map((v) => [v.labels.code, v.value]).sort()).toEqual([
      ['PASSPORT_KEY_UNKNOWN', 1],
      ['PASSPORT_SIGNATURE_INVALID', 1],
      ['PASSPORT_SIGNATURE_MISSING', 1],
      ['PASSPORT_SIGNER_MISMATCH', 1],
    ]);
    expect(await count('SELECT COUNT(*) AS n FROM feed WHERE request_id = ?')).toBe(2);
  });

  it('judges every record of a long batch in order, refusals included, whoever checked the signature', async () => {
    const events = Array.from({ length: 150 }, () => outcome(randomUUID(), requestId));
    const batch = messages(events);
    // In the middle and at the very end, which the thread pool checks first.
    const tampered = [73, batch.length - 1];
    for (const index of tampered) batch[index] = { ...batch[index], value: batch[0]?.value } as KafkaMessage;
    const resolved: string[] = [];

    await consumeBatch(deps, TOPICS.outcomes, 0, batch, control(resolved));

    expect(resolved).toEqual(batch.map((message) => message.offset));
    expect(await count('SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?')).toBe(
      events.length - tampered.length,
    );
    const parked = (await queuedDeadLetters()).map((letter) => [
      letter.text.dlq_error_code,
      letter.text.dlq_original_offset,
    ]);
    expect(parked).toEqual(tampered.map((index) => ['PASSPORT_SIGNATURE_INVALID', String(index)]));
  });

  it('parks an own echo whose signature does not verify instead of confirming it', async () => {
    const own = validateOutgoing(outcome(randomUUID(), requestId, null, 'bwi'));
    await db.transaction((tx) => addToOutbox(tx, own as never, 'unused-traceparent'));
    const [echo] = messages([own]) as KafkaMessage[];
    const forged = { ...echo, value: Buffer.from('changed after signing') } as KafkaMessage;

    await consumeBatch(deps, TOPICS.outcomes, 0, [forged], control([]));

    const parked = await queuedDeadLetters();
    expect(parked.map((letter) => letter.text.dlq_error_code)).toEqual(['PASSPORT_SIGNATURE_INVALID']);
    const confirmed = await db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM outbox WHERE event_id = ? AND confirmed_at IS NOT NULL',
      [own.eventId],
    );
    expect(Number(confirmed[0]?.n)).toBe(0);
  });

  it('commits the events before a failing one, stops there, and applies the rest once on redelivery', async () => {
    // A trigger makes exactly one event's effect fail inside the shared transaction.
    await db.execute(
      "CREATE TRIGGER refuse_boom BEFORE INSERT ON outcomes WHEN NEW.summary = 'boom' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END",
    );
    const events = [
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId),
      outcome(randomUUID(), requestId, 'boom'),
      outcome(randomUUID(), requestId),
    ];
    const resolved: string[] = [];

    // Matched on the message: better-sqlite3's error class may come from another jest realm.
    await expect(
      consumeBatch(deps, TOPICS.outcomes, 0, messages(events), control(resolved)),
    ).rejects.toMatchObject({ message: expect.stringMatching(/refused by test trigger/) });
    expect(resolved).toEqual(['0', '1']);
    expect(await count('SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?')).toBe(2);

    // kafkajs redelivers from the first unresolved offset; by then the cause is gone.
    await db.execute('DROP TRIGGER refuse_boom');
    const again: string[] = [];
    await consumeBatch(deps, TOPICS.outcomes, 0, messages(events.slice(2), 2), control(again));
    expect(again).toEqual(['2', '3']);
    // And a full redelivery from offset zero changes nothing.
    await consumeBatch(deps, TOPICS.outcomes, 0, messages(events), control([]));
    expect(await count('SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?')).toBe(4);
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM processed_events WHERE event_id IN (SELECT event_id FROM outcomes WHERE request_id = ?)',
      ),
    ).toBe(4);
  });
});
