import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createKafka } from '@passport/bus';
import { loadAgencies, type Agency } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { logLevel } from 'kafkajs';
import type { RunningCluster } from '@passport/infra/sources/running-cluster';
import { spawnAgency, waitUntilReady, type AgencyProcess } from '@passport/infra/system/agency-process';
import { sha256Hex } from '@passport/infra/system/api-keys';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import type { LocalTrust } from '@passport/infra/system/trust-list-file';
import type { OutboxConfirmation } from '@passport/agency-service/store/outbox-confirmation';
import { agencyOn, serviceMetric, waitUntilCaughtUp } from './cluster';

/** Lets two bench runs share a machine, as the end-to-end tests do. */
const PORT_OFFSET = Number(process.env.PASSPORT_E2E_PORT_OFFSET ?? 0);
const PORTS = { bwi: 28_192 + PORT_OFFSET, accio: 28_193 + PORT_OFFSET } as const;

/**
 * BW_i and ACCIÓ (answering automatically from a 5,000-company directory) as service processes. Their
 * databases, consumer groups, keys and secrets stay the same across restarts, so a restart with another
 * OUTBOX_CONFIRMATION changes nothing else: same directory, same offsets, no history to catch up on.
 */
export class BenchPair {
  readonly key = randomUUID();
  readonly headers = { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' };
  private readonly purpose = `bench-${randomUUID().slice(0, 6)}`;
  private readonly refSecrets = { bwi: randomUUID().repeat(2), accio: randomUUID().repeat(2) };
  private services: { bwi: AgencyProcess; accio: AgencyProcess } | undefined;
  private directoryImported = false;

  constructor(
    private readonly cluster: RunningCluster,
    private readonly dir: string,
    private readonly waitMs: number,
    private readonly trust: LocalTrust,
  ) {}

  get sqliteFiles(): string[] {
    return [join(this.dir, 'bwi.db'), join(this.dir, 'accio.db')];
  }

  get bwiUrl(): string {
    if (!this.services) throw new Error('the bench services are not running');
    return this.services.bwi.url;
  }

  private spawn(agencyId: 'bwi' | 'accio', confirmation: OutboxConfirmation, env: Record<string, string>) {
    return spawnAgency({
      agencyId,
      connection: agencyOn(this.cluster, agencyId),
      port: PORTS[agencyId],
      apiKeyHash: sha256Hex(this.key),
      candidateRefSecret: this.refSecrets[agencyId],
      logFile: join(this.dir, `${agencyId}.log`),
      keysDir: this.trust.keysDirOf(agencyId),
      trustListFile: this.trust.trustListFile,
      sqliteFile: join(this.dir, `${agencyId}.db`),
      extraEnv: {
        LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
        CONSUMER_GROUP_PURPOSE: this.purpose,
        OUTBOX_POLL_MS: '50',
        OUTBOX_CONFIRMATION: confirmation,
        ...(process.env.CONSUMER_MAX_WAIT_MS
          ? { CONSUMER_MAX_WAIT_MS: process.env.CONSUMER_MAX_WAIT_MS }
          : {}),
        ...env,
      },
    });
  }

  /**
   * Commits the services' new consumer groups at the end of every exchange topic, so that they start
   * where the bench's traffic will, instead of working through what earlier runs left on the cluster:
   * that history grows with every run, and a service tens of thousands of events behind its own echoes
   * sends its fresh answers again each OUTBOX_CONFIRM_TIMEOUT_MS, adding to what it is behind on.
   */
  private async startGroupsAtTheEnd(): Promise<void> {
    const admin = createKafka(this.cluster.connection, {
      clientId: 'bench-e2e-groups',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      for (const topic of EVENT_TOPICS) {
        const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
          partition,
          offset: high,
        }));
        for (const agencyId of ['bwi', 'accio'])
          await admin.setOffsets({ groupId: `${agencyId}.${this.purpose}`, topic, partitions });
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Starts both services; the first start imports ACCIÓ's directory. Returns once they are idle. */
  async start(confirmation: OutboxConfirmation): Promise<void> {
    if (!this.directoryImported) await this.startGroupsAtTheEnd();
    this.services = {
      bwi: this.spawn('bwi', confirmation, {}),
      accio: this.spawn('accio', confirmation, { MATCHING_MODE: 'auto', MATCH_THRESHOLD: '0.3' }),
    };
    await Promise.all(Object.values(this.services).map((s) => waitUntilReady(s)));
    if (!this.directoryImported) {
      const accio = loadAgencies().find((a) => a.id === 'accio') as Agency;
      const response = await fetch(`${this.services.accio.url}/directory/import`, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(generateDemoDirectory(accio, 5_000)),
      });
      if (!response.ok) throw new Error(`ACCIÓ's directory import answered ${response.status}`);
      this.directoryImported = true;
    }
    await this.settle();
  }

  /**
   * Waits until both groups are at the end of the topics and both outboxes are empty: after a start,
   * the directory import is through; before a stop, the last echoes are read.
   */
  async settle(): Promise<void> {
    if (!this.services) return;
    const { bwi, accio } = this.services;
    await waitUntilCaughtUp(
      this.cluster,
      [`bwi.${this.purpose}`, `accio.${this.purpose}`],
      [bwi.url, accio.url],
      this.waitMs,
    );
  }

  /** Rows both services sent again for want of an echo since they started. */
  async resends(): Promise<number> {
    if (!this.services) return 0;
    const counts = await Promise.all(
      Object.values(this.services).map((s) => serviceMetric(s.url, 'passport_outbox_resends_total')),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async stop(): Promise<void> {
    if (!this.services) return;
    const { bwi, accio } = this.services;
    this.services = undefined;
    await Promise.all([bwi.stop(), accio.stop()]);
  }
}
