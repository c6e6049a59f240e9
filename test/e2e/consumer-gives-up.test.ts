import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createKafka } from '@passport/bus';
import { logLevel, type Admin } from 'kafkajs';
import { spawnAgency, type AgencyProcess } from '@passport/infra/system/agency-process';
import { sha256Hex } from '@passport/infra/system/api-keys';
import { eventually } from '../support/agency-system';
import { adminConnection, agencyConnection } from '../support/cluster';
import { groupDenial } from '../support/group-denial';
import { testTrust } from '../support/test-trust';

const PORT = 28_191 + Number(process.env.PASSPORT_E2E_PORT_OFFSET ?? 0);

describe('an agency service whose consumer cannot be kept running', () => {
  const purpose = `gives-up-${randomUUID().slice(0, 8)}`;
  // The broker refuses this one group to bwi: every consumer of it crashes, for good.
  const denyGroup = groupDenial('bwi', `bwi.${purpose}`);
  let admin: Admin;
  let service: AgencyProcess | undefined;

  beforeAll(async () => {
    admin = createKafka(adminConnection(), { clientId: 'gives-up-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createAcls({ acl: [denyGroup] });
  });

  afterAll(async () => {
    await service?.stop();
    await admin.deleteAcls({ filters: [denyGroup] });
    await admin.disconnect();
  });

  it('is never ready, and exits 1 naming the group once its restarts are used up', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'passport-gives-up-')), 'bwi.log');
    service = spawnAgency({
      agencyId: 'bwi',
      connection: agencyConnection('bwi'),
      port: PORT,
      apiKeyHash: sha256Hex(randomUUID()),
      candidateRefSecret: randomBytes(32).toString('hex'),
      logFile,
      keysDir: (await testTrust()).keysDirOf('bwi'),
      trustListFile: (await testTrust()).trustListFile,
      sqliteFile: join(dirname(logFile), 'bwi.db'),
      extraEnv: {
        CONSUMER_GROUP_PURPOSE: purpose,
        CONSUMER_MAX_RESTARTS: '2',
        CONSUMER_RESTART_BACKOFF_MS: '200',
        LOG_LEVEL: 'info',
      },
    });
    const child = service.child;
    const exitCode = new Promise<number | null>((resolvePromise) =>
      child.once('exit', (code) => resolvePromise(code)),
    );
    const unready = await eventually(async () => {
      const response = await fetch(`${service?.url}/readyz`);
      return response.status === 503
        ? ((await response.json()) as { checks: Record<string, unknown> })
        : undefined;
    }, 'the service to answer /readyz');
    expect(unready.checks.consumer).toEqual({ ok: false, detail: expect.stringContaining(`bwi.${purpose}`) });

    expect(await exitCode).toBe(1);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(`the consumer of group bwi.${purpose} stopped and 2 restarts in a row failed`);
    expect(log).toContain('[PASSPORT_CONSUMER_STOPPED]');
    const fatal = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((line) => line.level === 60);
    expect(fatal?.msg).toBe('consumer keeps failing; giving up so the process restarts');
  }, 120_000);
});
