import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@passport/bus';
import { loadAgencies, type Agency } from '@passport/config';
import { logLevel } from 'kafkajs';
import { nodeIds } from '@passport/infra/profile';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import { startAgencySystem, type AgencySystem } from '../support/agency-system';
import {
  activeController,
  killBroker,
  killRegistry,
  leaderOfMostPartitions,
  restoreCluster,
  stopBroker,
  waitForFullIsr,
} from '../support/fault-actions';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import {
  answeredByEveryPartner,
  catchUpWithHistory,
  countOutcomes,
  summedMetric,
  type DrillOutcome,
  type SentRequest,
} from '../support/fault-drill';

/**
 * Issue 14's fault suite, on a three-node cluster of its own (replication factor 3, min.insync.replicas
 * 2): requests flow between all four agencies (each sends to the other three, which answer
 * automatically) while a broker is restarted, killed or the registry restarted. Each round counts from
 * the four databases and the topics: every request answered, every outbox row seen back on its topic,
 * nothing applied twice; and prints what it saw.
 */
const REQUESTS = Number(process.env.FAULT_DRILL_REQUESTS ?? 300);
const RATE_PER_S = Number(process.env.FAULT_DRILL_RATE ?? 25);
/** How many rounds kill the leader of the exchange's partitions (see the detection bound below). */
const LEADER_KILLS = Number(process.env.FAULT_DRILL_LEADER_KILLS ?? 5);
const FAULT_AFTER_MS = 3_000;
/** A fault that outlasts the paced requests keeps them flowing, for at most five minutes. */
const MAX_REQUESTS = Math.max(REQUESTS, RATE_PER_S * 300);
/** How long the services get, after the last request, to answer everything and confirm their outboxes. */
const SETTLE_MS = Number(process.env.FAULT_DRILL_SETTLE_MS ?? 180_000);
const REGISTRY_DOWN_MS = 20_000;
/**
 * If the exchange lost 1 % of the requests a fault touches, the chance that every leader-kill round
 * still came out clean is 0.99^n for n requests at risk: below 1 % from n = 459 on.
 */
const AT_RISK_FOR_ONE_PERCENT = Math.ceil(Math.log(0.01) / Math.log(0.99));

const HOMES = ['bwi', 'aura', 'accio', 'promos'] as const;
const agencies = loadAgencies();

function requestBody(home: string, round: string, index: number) {
  const agency = agencies.find((a) => a.id === home) as Agency;
  return {
    firm: {
      name: 'Drill Example Ltd',
      contact: {
        fullName: 'Dora Drill',
        role: null,
        email: 'dora@drill.example',
        phone: null,
        preferredLanguage: 'en',
      },
    },
    profile: {
      kind: 'CUSTOMER',
      title: `Distributors for precision gears (${round} #${index})`,
      summary: 'A maker of precision gears seeks distributors.',
      description: 'Spur and helical gears for machine builders.',
      textLanguage: 'en',
      keywords: ['gears', 'Zahnräder'],
      sectors: [{ code: '28.15', revision: 'REV_2' }],
      partnershipTypes: ['DISTRIBUTION'],
      targetAgencies: HOMES.filter((id) => id !== home),
      workingLanguages: ['en'],
      deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      firm: { sizeBand: 'SMALL', nutsRegion: agency.nuts, exportExperience: 'NONE' },
    },
  };
}

/** What a round prints beside the outcome: how much was in flight, how long recovery took, what was resent. */
interface RoundFigures extends DrillOutcome {
  /** Requests accepted but not yet answered by all three partners when the fault began. */
  inFlightAtFault: number;
  /** Those plus every request sent after the fault began: the requests whose events met it. */
  atRisk: number;
  /** From the fault's start until every request of the round was answered; null if some never was. */
  recoveredMs: number | null;
  /** Outbox rows sent again because their echo did not come back in time, over the four services. */
  resends: number;
}

const PURPOSE = `drill-${randomUUID().slice(0, 8)}`;

describe('broker faults on three nodes: nothing accepted is lost, nothing is applied twice', () => {
  let cluster: FaultCluster;
  let system: AgencySystem;
  const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

  beforeAll(async () => {
    cluster = await startFaultCluster(log);
    const auto = { CONSUMER_GROUP_PURPOSE: PURPOSE, MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' };
    system = await startAgencySystem(28_171, {
      connection: cluster.agency,
      env: Object.fromEntries(HOMES.map((id) => [id, auto])),
    });
    for (const agency of agencies) {
      const imported = await system.call(
        agency.id,
        'POST',
        '/directory/import',
        generateDemoDirectory(agency, 500),
      );
      expect(imported.status).toBeLessThan(300);
    }
    await catchUpWithHistory(cluster.admin, PURPOSE, system.dbFiles);
  }, 900_000);

  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
  }, 180_000);

  const serviceUrls = () => Object.values(system.services).map((service) => service.url);

  /** Sends requests at a steady pace from all four agencies while `fault` runs, then counts. */
  async function round(name: string, fault: () => Promise<void>): Promise<RoundFigures> {
    await waitForFullIsr(cluster.admin, 180_000);
    const since = new Date();
    const resendsBefore = await summedMetric(serviceUrls(), 'passport_outbox_resends_total');
    const sent: SentRequest[] = [];
    const refused: number[] = [];
    let faultAt = 0;
    let answeredAtFault = 0;
    let sentAtFault = 0;
    let faultDone = false;
    const faulting = (async () => {
      await sleep(FAULT_AFTER_MS);
      faultAt = performance.now();
      sentAtFault = sent.length;
      answeredAtFault = answeredByEveryPartner(system.dbFiles, sent);
      await fault();
    })().finally(() => {
      faultDone = true;
    });
    faulting.catch(() => undefined); // awaited below; a failed fault stops the sending first
    const began = performance.now();
    for (let i = 0; (i < REQUESTS || !faultDone) && i < MAX_REQUESTS; i += 1) {
      const wait = began + (i * 1000) / RATE_PER_S - performance.now();
      if (wait > 0) await sleep(wait);
      const home = HOMES[i % HOMES.length] as string;
      const created = await system.call<{ requestId: string }>(
        home,
        'POST',
        '/requests',
        requestBody(home, name, i),
      );
      if (created.status === 201) sent.push({ home, requestId: created.body.requestId });
      else refused.push(created.status);
    }
    await faulting;
    const settleBy = performance.now() + SETTLE_MS;
    let recoveredMs: number | null = null;
    while (performance.now() < settleBy) {
      if (answeredByEveryPartner(system.dbFiles, sent) === sent.length) {
        recoveredMs = Math.round(performance.now() - faultAt);
        break;
      }
      await sleep(500);
    }
    // Answers can be in while the last acknowledgements still wait to be published and seen back.
    let outcome = await countOutcomes(cluster.admin, system.dbFiles, sent, since);
    while (outcome.unconfirmed > 0 && performance.now() < settleBy) {
      await sleep(1_000);
      outcome = await countOutcomes(cluster.admin, system.dbFiles, sent, since);
    }
    const figures: RoundFigures = {
      ...outcome,
      inFlightAtFault: sentAtFault - answeredAtFault,
      atRisk: sent.length - answeredAtFault,
      recoveredMs,
      resends: (await summedMetric(serviceUrls(), 'passport_outbox_resends_total')) - resendsBefore,
    };
    process.stdout.write(`[fault-drill] ${name}: ${JSON.stringify(figures)}\n`);
    expect(refused).toEqual([]);
    return figures;
  }

  function expectNothingLost(outcome: RoundFigures): void {
    expect({
      answeredByEveryPartner: outcome.answeredByEveryPartner,
      unconfirmed: outcome.unconfirmed,
      publishedButMissing: outcome.publishedButMissing,
      duplicatesApplied: outcome.duplicatesApplied,
    }).toEqual({
      answeredByEveryPartner: outcome.accepted,
      unconfirmed: 0,
      publishedButMissing: 0,
      duplicatesApplied: 0,
    });
    expect(outcome.accepted).toBeGreaterThanOrEqual(REQUESTS);
    expect(outcome.messagesOnTopics).toBeGreaterThanOrEqual(outcome.outboxRows);
  }

  it('runs over TLS, each agency from an installation of its own holding only its own secrets', async () => {
    // Issue 16, item 4: the drill below takes the path production takes.
    expect(cluster.admin.ssl).toEqual(expect.objectContaining({ caFile: expect.any(String) }));
    const plaintext = createKafka(
      { ...cluster.admin, ssl: false },
      { clientId: 'faults-plaintext', logLevel: logLevel.NOTHING, retries: 0, connectionTimeoutMs: 2_000 },
    ).admin();
    await expect(plaintext.connect().then(() => plaintext.describeCluster())).rejects.toThrow();
    await plaintext.disconnect();

    const passwords = Object.fromEntries(HOMES.map((id) => [id, cluster.agency(id).sasl?.password ?? '']));
    for (const home of HOMES) expect(passwords[home]?.length).toBeGreaterThanOrEqual(16);
    const installations = new Set<string>();
    for (const home of HOMES) {
      const service = system.services[home];
      if (!service?.child.pid) throw new Error(`${home} has no running process`);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      for (const certificate of ['kafka-ca', 'registry-ca', 'kafka-broker', 'registry-server'])
        expect(metrics).toMatch(
          new RegExp(`^passport_tls_certificate_expiry_timestamp_seconds\\{file="${certificate}"`, 'm'),
        );
      // The process runs in its installation folder, whose config file names its own principal only.
      const folder = readlinkSync(`/proc/${service.child.pid}/cwd`);
      installations.add(folder);
      const config = readFileSync(`${folder}/config.json`, 'utf8');
      expect(config).toContain(passwords[home]);
      for (const other of HOMES.filter((id) => id !== home))
        expect({ home, other, leaked: config.includes(passwords[other] as string) }).toEqual({
          home,
          other,
          leaked: false,
        });
    }
    expect(installations.size).toBe(HOMES.length);
  });

  it('a rolling restart of every broker, one after the other', async () => {
    const outcome = await round('rolling restart', async () => {
      for (const nodeId of nodeIds(cluster.profile)) {
        await stopBroker(cluster.profile, nodeId);
        await restoreCluster(cluster.profile);
        await waitForFullIsr(cluster.admin, 180_000);
      }
    });
    expectNothingLost(outcome);
  }, 900_000);

  const leaderKills: RoundFigures[] = [];
  for (let kill = 1; kill <= LEADER_KILLS; kill += 1)
    it(`kill -9 of the leader of the partitions in use, not restarted (${kill} of ${LEADER_KILLS})`, async () => {
      const outcome = await round(`leader kill ${kill}`, async () => {
        await killBroker(cluster.profile, await leaderOfMostPartitions(cluster.admin));
      });
      await restoreCluster(cluster.profile);
      leaderKills.push(outcome);
      expectNothingLost(outcome);
    }, 900_000);

  it('the leader kills touched enough requests that a loss of 1 % could not pass unnoticed', () => {
    const atRisk = leaderKills.reduce((sum, outcome) => sum + outcome.atRisk, 0);
    process.stdout.write(
      `[fault-drill] leader kills: ${leaderKills.length} rounds, ${atRisk} requests at risk; a 1 % loss would pass unnoticed with probability ${(0.99 ** atRisk).toExponential(1)}\n`,
    );
    expect(leaderKills).toHaveLength(LEADER_KILLS);
    expect(atRisk).toBeGreaterThanOrEqual(AT_RISK_FOR_ONE_PERCENT);
  });

  it('kill -9 of the active controller, not restarted', async () => {
    const outcome = await round('controller kill', async () => {
      await killBroker(cluster.profile, activeController(cluster.admin));
    });
    await restoreCluster(cluster.profile);
    expectNothingLost(outcome);
  }, 900_000);

  it('the schema registry killed and started again', async () => {
    const outcome = await round('registry restart', async () => {
      await killRegistry(cluster.profile);
      await sleep(REGISTRY_DOWN_MS);
      await restoreCluster(cluster.profile);
    });
    expectNothingLost(outcome);
  }, 900_000);
});
