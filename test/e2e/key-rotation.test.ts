import { randomUUID } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { readRange, waitForGroupCaughtUp, type RangeMessage } from '@passport/streams';
import {
  createRotationStatement,
  loadOrCreateAgencyKeys,
  readSignatureHeader,
  TrustList,
  verifyRecord,
  type TrustListDocument,
} from '@passport/trust';
import { logLevel, type Admin } from 'kafkajs';
import { cooperationRequestedSample } from '../fixtures/events';
import { sampleFirm } from '../fixtures/own-requests';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { adminConnection } from '../support/cluster';
import {
  deadLetterMarks,
  deadLettersSince,
  hostilePartner,
  type DeadLetterMarks,
  type HostilePartner,
} from '../support/hostile-partner';
import { testTrust } from '../support/test-trust';

const DAY = 86_400_000;
const ACCIO_DIRECTORY = [
  {
    companyId: 'es-200',
    name: 'Engranajes Ejemplo SL',
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
const TARGETS = ['accio', 'aura'];
const VICTIMS = ['bwi', 'accio', 'aura'];

type Detail = { partners: Array<{ agencyId: string; status: string }> };
type KeysView = { signingKeyId: string; trustList: TrustListDocument };
type Rotation = { rotationId: string; generation: number; signingKeyId: string; statement: string };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('key rotation over the exchange, on the real broker', () => {
  let system: AgencySystem;
  let admin: Admin;
  let promos: HostilePartner;
  const purpose = `e2e-rotation-${randomUUID().slice(0, 8)}`;
  let bwiStatement: string | undefined;

  beforeAll(async () => {
    system = await startAgencySystem(28_211, {
      env: {
        bwi: { CONSUMER_GROUP_PURPOSE: purpose },
        accio: { CONSUMER_GROUP_PURPOSE: purpose, MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' },
        aura: { CONSUMER_GROUP_PURPOSE: purpose, MATCHING_MODE: 'auto' },
        promos: { CONSUMER_GROUP_PURPOSE: purpose },
      },
    });
    admin = createKafka(adminConnection(), {
      clientId: 'rotation-suite',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    promos = await hostilePartner('promos');
    const imported = await system.call('accio', 'POST', '/directory/import', ACCIO_DIRECTORY);
    expect(imported.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await promos?.close();
    await admin?.disconnect();
    await system?.stop();
  }, 60_000);

  const get = async <T>(agency: string, path: string) => (await system.call<T>(agency, 'GET', path)).body;
  const createRequest = async () => {
    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', {
      firm: sampleFirm,
      profile: {
        ...cooperationRequestedSample.payload.profile,
        targetAgencies: TARGETS,
        deadline: new Date(Date.now() + 30 * DAY),
      },
    });
    expect(created.status === 201 ? 201 : created.body).toBe(201);
    ours.add(created.body.requestId);
    return created.body.requestId;
  };
  const answered = (requestId: string) =>
    eventually(
      async () => {
        const detail = await get<Detail>('bwi', `/requests/${requestId}`);
        const statuses = detail.partners.map((p) => p.status);
        return statuses.length === TARGETS.length &&
          statuses.every((s) => s === 'candidates' || s === 'none_found')
          ? statuses
          : undefined;
      },
      `answers to ${requestId}`,
      60_000,
    );
  /**
   * Dead letters parked by this suite's consumer groups since `marks`, of records keyed by `keys` (this
   * suite's requests and rotations). New groups replay the topics' history first, and records earlier
   * runs signed with their own throwaway keys are parked as unknown: not this suite's business.
   */
  const ourDeadLetters = async (marks: DeadLetterMarks, keys: ReadonlySet<string>) =>
    (await deadLettersSince(admin, marks)).filter(
      (letter) => letter.headers.dlq_consumer_group?.endsWith(`.${purpose}`) && keys.has(letter.key ?? ''),
    );
  const ours = new Set<string>();
  const summary = (letter: RangeMessage) => ({
    key: letter.key,
    type: letter.headers.ce_type,
    group: letter.headers.dlq_consumer_group,
    code: letter.headers.dlq_error_code,
    message: letter.headers.dlq_error_message,
  });
  const caughtUp = () =>
    Promise.all(
      VICTIMS.map((a) => waitForGroupCaughtUp(admin, `${a}.${purpose}`, EVENT_TOPICS, { timeoutMs: 60_000 })),
    );
  /** Every record on `topic` now, read with the admin principal. */
  const recordsOf = async (topic: string): Promise<RangeMessage[]> => {
    const kafka = createKafka(adminConnection(), {
      clientId: 'rotation-suite-read',
      logLevel: logLevel.NOTHING,
    });
    const offsets = await admin.fetchTopicOffsets(topic);
    const found: RangeMessage[] = [];
    await readRange(
      kafka,
      topic,
      offsets.map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) })),
      (message) => void found.push(message),
      { groupPrefix: 'rotation-suite-read' },
    );
    return found;
  };

  it('rotates bwi and accio while requests flow: every request answered, nothing parked, new keys verify', async () => {
    const marks = await deadLetterMarks(admin);
    const before = await createRequest();
    await answered(before);

    const activeFrom = new Date(Date.now() + 15_000);
    const retirePreviousAt = new Date(Date.now() + 3_600_000);
    const rotations: Record<string, Rotation> = {};
    for (const agency of ['bwi', 'accio']) {
      const response = await system.call<Rotation>(agency, 'POST', '/keys/rotate', {
        activeFrom: activeFrom.toISOString(),
        retirePreviousAt: retirePreviousAt.toISOString(),
      });
      expect(response.status === 201 ? 201 : response.body).toBe(201);
      expect(response.body.generation).toBe(2);
      rotations[agency] = response.body;
      ours.add(response.body.rotationId);
    }
    bwiStatement = rotations.bwi?.statement;

    // Requests keep coming while the partners learn the keys and across activeFrom, unanswered ones
    // piling up; the last ones are signed with the new keys.
    const during: string[] = [];
    while (Date.now() < activeFrom.getTime() + 4_000) {
      during.push(await createRequest());
      await pause(1_000);
    }
    const after = await createRequest();
    for (const requestId of [before, ...during, after]) await answered(requestId);
    await caughtUp();
    expect((await ourDeadLetters(marks, ours)).map(summary)).toEqual([]);

    // Every partner now trusts both new keys, from the statements alone (TRUST_LIST_FILE is unchanged).
    for (const viewer of ['bwi', 'accio', 'aura', 'promos']) {
      const view = await get<KeysView>(viewer, '/keys');
      const list = TrustList.fromDocument(view.trustList);
      for (const agency of ['bwi', 'accio'])
        expect({
          viewer,
          agency,
          status: list.signingKey(agency, rotations[agency]!.signingKeyId, new Date()).status,
        }).toEqual({
          viewer,
          agency,
          status: 'valid',
        });
    }
    expect((await get<KeysView>('bwi', '/keys')).signingKeyId).toBe(rotations.bwi?.signingKeyId);

    // The records of the last request on the wire carry the new keys, and verify with aura's list.
    const auraList = TrustList.fromDocument((await get<KeysView>('aura', '/keys')).trustList);
    const requests = (await recordsOf(TOPICS.cooperationRequests)).filter(
      (r) => r.key === after && r.headers.ce_type?.includes('CooperationRequested'),
    );
    const replies = (await recordsOf(TOPICS.candidateReplies)).filter(
      (r) => r.key === after && r.headers.ce_source === '/passport/agencies/accio',
    );
    expect(requests.length).toBeGreaterThan(0);
    expect(replies.length).toBeGreaterThan(0);
    for (const [record, agency] of [
      ...requests.map((r) => [r, 'bwi'] as const),
      ...replies.map((r) => [r, 'accio'] as const),
    ]) {
      expect(readSignatureHeader(record.headers).keyId).toBe(rotations[agency]?.signingKeyId);
      expect(verifyRecord(record, auraList, new Date()).signer).toBe(agency);
    }

    // A restart keeps what aura learnt on the exchange; the flow goes on.
    await system.services.aura?.stop();
    await system.restart('aura');
    const restartedList = TrustList.fromDocument((await get<KeysView>('aura', '/keys')).trustList);
    expect(restartedList.signingKey('bwi', rotations.bwi!.signingKeyId, new Date()).status).toBe('valid');
    await answered(await createRequest());
    await caughtUp();
    expect((await ourDeadLetters(marks, ours)).map(summary)).toEqual([]);
  }, 240_000);

  it('parks forged rotation statements with PASSPORT_ROTATION_REFUSED and changes no trust list', async () => {
    expect(bwiStatement).toBeDefined();
    await caughtUp();
    const marks = await deadLetterMarks(admin);
    const listsBefore = await Promise.all(VICTIMS.map((a) => get<KeysView>(a, '/keys')));

    // promos's real current key and a next generation, made in a copy of its key directory.
    const trust = await testTrust();
    const copy = join(mkdtempSync(join(tmpdir(), 'passport-rotation-')), 'promos');
    cpSync(trust.keysDirOf('promos'), copy, { recursive: true });
    chmodSync(copy, 0o700);
    const promosKeys = await loadOrCreateAgencyKeys(copy, 'promos');
    const next = await promosKeys.rotate(new Date(Date.now() + 3_600_000));
    const genuine = JSON.parse(
      createRotationStatement(promosKeys, next, new Date(Date.now() + 7_200_000)),
    ) as { signatures: Array<{ keyid: string; sig: string }> };
    // The second signature must be the new key's: here it is the old key's signature again.
    genuine.signatures[1]!.sig = genuine.signatures[0]!.sig;
    const badSecondSignature = JSON.stringify(genuine);

    const forged = [
      // bwi's genuine statement, sent by promos under its own signature: not promos's to announce.
      {
        statement: bwiStatement as string,
        reason: /announces keys of bwi but the record was signed by promos/,
      },
      { statement: badSecondSignature, reason: /PASSPORT_SIGNATURE_INVALID|does not verify/ },
    ].map((attack) => ({
      ...attack,
      event: {
        eventId: randomUUID(),
        occurredAt: new Date(),
        source: 'promos',
        requestId: randomUUID(),
        causationId: null,
        correlationId: randomUUID(),
        type: 'KeyRotationAnnounced',
        payload: { statement: attack.statement },
      },
    }));
    for (const attack of forged) {
      ours.add(attack.event.requestId);
      await promos.send(attack.event);
    }

    const expected = forged.length * VICTIMS.length;
    const letters = await eventually(
      async () => {
        const found = await ourDeadLetters(marks, ours);
        return found.length >= expected ? found : undefined;
      },
      `${expected} dead letters`,
      60_000,
    );
    expect(letters).toHaveLength(expected);
    for (const attack of forged)
      for (const agency of VICTIMS) {
        const letter = letters.find(
          (l) =>
            l.headers.ce_id === attack.event.eventId &&
            l.headers.dlq_consumer_group?.startsWith(`${agency}.`),
        );
        expect({ agency, code: letter?.headers.dlq_error_code }).toEqual({
          agency,
          code: 'PASSPORT_ROTATION_REFUSED',
        });
        expect(letter?.headers.dlq_error_message).toMatch(attack.reason);
      }
    await caughtUp();
    expect(await Promise.all(VICTIMS.map((a) => get<KeysView>(a, '/keys')))).toEqual(listsBefore);

    // The exchange goes on with the rotated keys.
    await answered(await createRequest());
  }, 180_000);
});
