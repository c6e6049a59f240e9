import { randomUUID } from 'node:crypto';
import { createSchemaRegistry } from '@passport/bus';
import { loadAgencies, TOPICS, type Agency } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, toKafkaMessage, validateOutgoing } from '@passport/events';
import {
  EVIDENCE_VERIFIED,
  EvidenceChainChecker,
  evidenceLine,
  formatSignatureHeader,
  SIGNATURE_HEADER,
  signedBytes,
  type EvidenceFailure,
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
import { evidenceAfter } from '@passport/agency-service/store/evidence-log';
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

/** An outcome about bwi's sample request as kafkajs hands it over at `offset`, signed by `signer`. */
function outcomeAt(offset: number, source: string, signer: string | null = source): KafkaMessage {
  const event = validateOutgoing({
    eventId: randomUUID(),
    occurredAt: new Date(),
    source,
    requestId,
    correlationId: requestId,
    type: 'OutcomeReported',
    payload: { outcome: 'MEETING_HELD', summary: null, candidateRef: SAMPLE_CANDIDATE_REF },
  });
  const { message } = toKafkaMessage(codec, event);
  const record = { ...message, key: Buffer.from(requestId) };
  const signed =
    signer === null
      ? record
      : signer === source
        ? signAs(trust, source, TOPICS.outcomes, record)
        : forged(signer, record);
  return {
    ...signed,
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    size: 0,
  } as unknown as KafkaMessage;
}

/** Signed with `signer`'s key whatever its ce_source says, as a partner would forge it. */
function forged<R extends { key: Buffer; value: Buffer | null; headers?: Record<string, string> }>(
  signer: string,
  record: R,
): R {
  const bytes = signedBytes({
    topic: TOPICS.outcomes,
    key: record.key,
    value: record.value,
    headers: record.headers,
  });
  const { keyId, signature } = trust.keys[signer]!.sign(bytes);
  return {
    ...record,
    headers: { ...record.headers, [SIGNATURE_HEADER]: formatSignatureHeader(keyId, signature) },
  };
}

const control = () => ({
  resolveOffset: () => undefined,
  heartbeat: async () => undefined,
  shouldStop: () => false,
});

beforeAll(async () => {
  codec = await EventCodec.create(createSchemaRegistry(adminConnection(), REGISTRY_AVRO_OPTIONS));
  trust = await testTrust();
});

beforeEach(async () => {
  db = openSqlite(':memory:');
  await migrate(db);
  requestId = randomUUID();
  await insertSampleOwnRequests(db, [requestId]);
  deps = {
    db,
    agency: bwi,
    codec,
    trustList: trust.trustList,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics('bwi'),
    consumerGroup: 'bwi.consume-batch-evidence-it',
    handlerTimeoutMs: 10_000,
    matcher: new Matcher({ mode: 'review', topN: 5, threshold: 0.5 }),
    candidateRefs: new CandidateRefs('bwi', 'a-test-secret-of-at-least-32-characters'),
    webhooks: false,
    afterApply: () => undefined,
  };
});

afterEach(async () => {
  await db.close();
});

describe('consumeBatch keeps evidence', () => {
  it('of every record it reads, verified or refused, in offset order, once however often it is read', async () => {
    const batch = [
      outcomeAt(10, 'aura'),
      outcomeAt(11, 'aura', null), // unsigned
      outcomeAt(12, 'aura', 'promos'), // signed by another agency than its source
      outcomeAt(13, 'bwi'), // our own, back from the topic
      { ...outcomeAt(14, 'aura'), value: Buffer.from('not Avro') }, // tampered after signing
    ];

    await consumeBatch(deps, TOPICS.outcomes, 3, batch, control());
    await consumeBatch(deps, TOPICS.outcomes, 3, batch, control()); // redelivered whole

    const entries = await evidenceAfter(db, 0, 100);
    expect(entries.map((entry) => [entry.seq, entry.offset, entry.direction, entry.verdict])).toEqual([
      [1, '10', 'received', EVIDENCE_VERIFIED],
      [2, '11', 'received', 'PASSPORT_SIGNATURE_MISSING'],
      [3, '12', 'received', 'PASSPORT_SIGNER_MISMATCH'],
      [4, '13', 'sent', EVIDENCE_VERIFIED],
      [5, '14', 'received', 'PASSPORT_SIGNATURE_INVALID'],
    ]);
    expect(entries.every((entry) => entry.topic === TOPICS.outcomes && entry.partition === 3)).toBe(true);
    expect(entries[2]).toMatchObject({ source: '/passport/agencies/aura', signerKeyId: expect.any(String) });
    // The outcome was applied once: the evidence is the record's, not a second effect.
    const [applied] = await db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM outcomes WHERE request_id = ?',
      [requestId],
    );
    expect(Number(applied?.n)).toBe(1);

    const failures: EvidenceFailure[] = [];
    const checker = new EvidenceChainChecker((failure) => failures.push(failure), trust.trustList);
    entries.forEach((entry, index) => checker.checkLine(index + 1, evidenceLine(entry)));
    expect(checker.finish(entries.length)).toMatchObject({
      sent: 1,
      received: 4,
      signaturesChecked: 2,
      refused: { PASSPORT_SIGNATURE_MISSING: 1, PASSPORT_SIGNER_MISMATCH: 1, PASSPORT_SIGNATURE_INVALID: 1 },
    });
    expect(failures).toEqual([]);
  });
});
