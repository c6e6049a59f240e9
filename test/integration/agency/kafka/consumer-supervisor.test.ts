import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createKafka } from '@passport/bus';
import { logLevel, type Admin } from 'kafkajs';
import pino from 'pino';
import { loadConfig } from '@passport/agency-service/config';
import { startAgencyService, type RunningService } from '@passport/agency-service/service';
import { sha256Hex } from '@passport/infra/system/api-keys';
import { eventually } from '../../../support/agency-system';
import { adminConnection, agencyConnection } from '../../../support/cluster';
import { groupDenial } from '../../../support/group-denial';
import { testTrust } from '../../../support/test-trust';

/** The service's log lines, parsed, so the test can check what it reported and at which level. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string; err?: { message?: string } }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

async function readiness(url: string) {
  const response = await fetch(`${url}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as { checks: Record<string, { ok: boolean; detail?: string }> },
  };
}

const metricValue = async (url: string, line: RegExp) =>
  Number((await (await fetch(`${url}/metrics`)).text()).match(line)?.[1] ?? Number.NaN);

describe('the agency service when kafkajs stops its consumer for good', () => {
  const purpose = `crash-${randomUUID().slice(0, 8)}`;
  const group = `bwi.${purpose}`;
  const denyGroup = groupDenial('bwi', group);
  let admin: Admin;
  let service: RunningService | undefined;

  beforeAll(async () => {
    admin = createKafka(adminConnection(), {
      clientId: 'consumer-crash-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await service?.stop();
    await admin.deleteAcls({ filters: [denyGroup] });
    await admin.disconnect();
  });

  it('turns /readyz 503 naming the consumer, then restarts it and is ready again', async () => {
    const { logger, lines } = capturedLog();
    const trust = await testTrust();
    const config = loadConfig({
      ...process.env,
      AGENCY: 'bwi',
      AGENCY_KEYS_DIR: trust.keysDirOf('bwi'),
      TRUST_LIST_FILE: trust.trustListFile,
      HTTP_PORT: '0',
      API_KEY_HASHES: sha256Hex(randomUUID()),
      CANDIDATE_REF_SECRET: randomUUID() + randomUUID(),
      SQLITE_FILE: ':memory:',
      PASSPORT_ALLOW_MEMORY_DATABASE: '1',
      CONSUMER_GROUP_PURPOSE: purpose,
      CONSUMER_RESTART_BACKOFF_MS: '200',
      CONSUMER_MAX_RESTARTS: '50',
    });
    service = await startAgencyService({ ...config, connection: agencyConnection('bwi') }, logger);
    const { url } = service;
    await eventually(async () => ((await readiness(url)).status === 200 ? true : undefined), 'ready');
    expect(await metricValue(url, /^passport_consumer_running\{[^}]*\} (\d+)$/m)).toBe(1);

    // The broker now refuses the group: kafkajs' next heartbeat fails, non-retriable, and it stops.
    await admin.createAcls({ acl: [denyGroup] });
    const unready = await eventually(async () => {
      const answer = await readiness(url);
      return answer.status === 503 ? answer.body : undefined;
    }, '/readyz to fail');
    expect(unready.checks.consumer).toEqual({
      ok: false,
      detail: expect.stringContaining(`consumer of group ${group}`),
    });
    expect(unready.checks.broker).toEqual({ ok: true });
    expect(await metricValue(url, /^passport_consumer_running\{[^}]*\} (\d+)$/m)).toBe(0);
    const stopped = lines.find((line) => line.level === 50 && line.msg.startsWith('consumer stopped'));
    expect(stopped?.err?.message).toMatch(/Group authorization failed/);

    // Fresh consumers are tried meanwhile; once the broker lets the group in again, one joins.
    await eventually(
      async () =>
        (await metricValue(url, /^passport_consumer_restarts_total\{[^}]*by="service"[^}]*\} (\d+)$/m)) >= 1
          ? true
          : undefined,
      'a restart with a fresh consumer',
    );
    await admin.deleteAcls({ filters: [denyGroup] });
    await eventually(
      async () => ((await readiness(url)).status === 200 ? true : undefined),
      '/readyz to pass again',
      90_000,
    );
    expect((await readiness(url)).body.checks.consumer).toEqual({ ok: true });
    expect(await metricValue(url, /^passport_consumer_running\{[^}]*\} (\d+)$/m)).toBe(1);
  }, 180_000);
});
