import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@passport/bus';
import { EVENT_TOPICS } from '@passport/events';
import {
  EVIDENCE_VERIFIED,
  EvidenceChainChecker,
  verifyEvidenceHead,
  type EvidenceEntry,
  type EvidenceFailure,
} from '@passport/trust';
import { logLevel, type Admin } from 'kafkajs';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { adminConnection } from '../support/cluster';
import { passport } from '../support/console';
import { testTrust } from '../support/test-trust';

/** aura's consumer group is named here, so the test can rewind it as a crash before a commit would. */
const AURA_PURPOSE = `e2e-evidence-${randomBytes(4).toString('hex')}`;
const AURA_GROUP = `aura.${AURA_PURPOSE}`;

const requestBody = () => ({
  firm: {
    name: 'Evidence Example GmbH',
    contact: {
      fullName: 'Erika Beispiel',
      role: null,
      email: 'erika@evidence.example',
      phone: null,
      preferredLanguage: 'de',
    },
  },
  profile: {
    kind: 'CUSTOMER',
    title: 'Distribution partner for precision gearbox components',
    summary: 'A manufacturer of precision gearbox components seeks distributors serving machine builders.',
    description: 'Hardened spur and helical gears in small and medium batches for machine-tool builders.',
    textLanguage: 'en',
    sectors: [{ code: '28.15', revision: 'REV_2' }],
    productCodes: [{ scheme: 'HS', code: '848340' }],
    partnershipTypes: ['DISTRIBUTION'],
    targetAgencies: ['aura'],
    workingLanguages: ['de', 'en'],
    deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    firm: { sizeBand: 'SMALL', foundingYear: 1987, nutsRegion: 'DE11', exportExperience: 'OCCASIONAL' },
  },
});

const position = (entry: EvidenceEntry) => `${entry.topic}/${entry.partition}/${entry.offset}`;

describe('the evidence log, two agencies on the real broker', () => {
  let system: AgencySystem;
  let admin: Admin;

  beforeAll(async () => {
    system = await startAgencySystem(28_181, { env: { aura: { CONSUMER_GROUP_PURPOSE: AURA_PURPOSE } } });
    admin = createKafka(adminConnection(), { clientId: 'e2e-evidence', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.disconnect();
    await system?.stop();
  }, 60_000);

  async function exported(agencyId: string): Promise<EvidenceEntry[]> {
    const response = await fetch(`${system.services[agencyId]?.url}/evidence/export`, {
      headers: { authorization: `Bearer ${system.apiKey}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as EvidenceEntry);
  }

  async function chainFailures(
    entries: readonly EvidenceEntry[],
    head?: { seq: number; entryHash: string },
  ): Promise<EvidenceFailure[]> {
    const failures: EvidenceFailure[] = [];
    const checker = new EvidenceChainChecker(
      (failure) => failures.push(failure),
      (await testTrust()).trustList,
      head,
    );
    // The export's own lines, as the console reads them.
    entries.forEach((entry, index) => checker.checkLine(index + 1, JSON.stringify(entry)));
    checker.finish(entries.length);
    return failures;
  }

  /** aura's committed offsets on the exchange topics, by partition (only those it has committed). */
  async function committed(): Promise<Map<string, number>> {
    const offsets = await admin.fetchOffsets({ groupId: AURA_GROUP, topics: [...EVENT_TOPICS] });
    return new Map(
      offsets.flatMap(({ topic, partitions }) =>
        partitions
          .filter((p) => Number(p.offset) >= 0)
          .map((p) => [`${topic}/${p.partition}`, Number(p.offset)] as [string, number]),
      ),
    );
  }

  it('logs a request and its acknowledgement on both sides, with hashes and signatures that verify', async () => {
    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', requestBody(), {
      'idempotency-key': `evidence-${Date.now()}`,
    });
    expect(created.status).toBe(201);
    const key = Buffer.from(created.body.requestId).toString('base64url');
    const ofRequest = (entries: EvidenceEntry[], type: string) =>
      entries.filter((entry) => entry.key === key && entry.eventType?.includes(`.${type}.`));

    const [bwiLog, auraLog] = await eventually(async () => {
      const logs = [await exported('bwi'), await exported('aura')] as const;
      const complete =
        ofRequest(logs[0], 'RequestAcknowledged').length > 0 &&
        ofRequest(logs[1], 'RequestAcknowledged').length > 0;
      return complete ? logs : undefined;
    }, 'the request and its acknowledgement in both logs');

    const [requestSent] = ofRequest(bwiLog, 'CooperationRequested');
    const [requestReceived] = ofRequest(auraLog, 'CooperationRequested');
    expect(requestSent).toMatchObject({
      direction: 'sent',
      verdict: EVIDENCE_VERIFIED,
      source: '/passport/agencies/bwi',
    });
    expect(requestReceived).toMatchObject({ direction: 'received', verdict: EVIDENCE_VERIFIED });
    // Both sides recorded the same record: same place on the topic, same signature, same value hash.
    for (const field of [
      'topic',
      'partition',
      'offset',
      'signature',
      'signedPayload',
      'valueSha256',
    ] as const)
      expect(requestReceived?.[field]).toEqual(requestSent?.[field]);
    expect(ofRequest(auraLog, 'RequestAcknowledged')[0]).toMatchObject({ direction: 'sent' });
    expect(ofRequest(bwiLog, 'RequestAcknowledged')[0]).toMatchObject({
      direction: 'received',
      source: '/passport/agencies/aura',
    });
    // The firm's contact travels in no event of this flow, and the log keeps no value in any case.
    expect(JSON.stringify([...bwiLog, ...auraLog])).not.toContain('erika@evidence.example');

    expect(await chainFailures(bwiLog)).toEqual([]);
    expect(await chainFailures(auraLog)).toEqual([]);

    // aura's signed head names an entry its log holds, unchanged.
    const response = await fetch(`${system.services.aura?.url}/evidence/head`, {
      headers: { authorization: `Bearer ${system.apiKey}` },
    });
    const headStatement = await response.text();
    const head = verifyEvidenceHead(headStatement, (await testTrust()).trustList);
    expect(head.agencyId).toBe('aura');
    expect(head.seq).toBeGreaterThanOrEqual(auraLog.length);
    const auraNow = await exported('aura');
    expect(await chainFailures(auraNow, head)).toEqual([]);

    // The same with the console, from files, as an auditor would.
    const logFile = join(system.dir, 'aura-evidence.jsonl');
    const headFile = join(system.dir, 'aura-head.json');
    writeFileSync(logFile, auraNow.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    writeFileSync(headFile, headStatement);
    const verified = await passport([
      'evidence',
      'verify',
      logFile,
      '--trust-list',
      (await testTrust()).trustListFile,
      '--head',
      headFile,
      '--json',
    ]);
    expect(verified.code).toBe(0);
    expect(verified.json<{ summary: { entries: number; failures: number } }>().summary).toMatchObject({
      entries: auraNow.length,
      failures: 0,
    });
  }, 90_000);

  it('adds no entry when aura reads every record again (its group rewound, as after a crash)', async () => {
    const before = await exported('aura');
    const offsetsBefore = await committed();
    expect(offsetsBefore.size).toBeGreaterThan(0);
    await system.services.aura?.stop();
    await eventually(async () => {
      for (const topic of EVENT_TOPICS)
        await admin.resetOffsets({ groupId: AURA_GROUP, topic, earliest: true });
      return true;
    }, "rewinding aura's group once its member has left");
    const rewound = await committed();
    expect([...offsetsBefore].some(([partition, offset]) => (rewound.get(partition) ?? 0) < offset)).toBe(
      true,
    );
    await system.restart('aura');
    await eventually(
      async () => {
        const now = await committed();
        return [...offsetsBefore].every(([partition, offset]) => (now.get(partition) ?? -1) >= offset)
          ? true
          : undefined;
      },
      'aura reading every record again',
      60_000,
    );

    const after = await exported('aura');
    // What was logged before is untouched, and nothing is logged twice.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after.map(position)).size).toBe(after.length);
    expect(await chainFailures(after)).toEqual([]);
  }, 120_000);
});
