import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnAgency, waitUntilReady } from '../../infra/src/system/agency-process';
import { sha256Hex } from '../../infra/src/system/api-keys';
import type { LocalTrust } from '../../infra/src/system/trust-list-file';
import { agencyConnection } from '../support/cluster';
import { testTrust } from '../support/test-trust';

const PORT = 18_960 + Number(process.env.PASSPORT_E2E_PORT_OFFSET ?? 0);

describe('starting an agency service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passport-e2e-start-'));
  const connection = agencyConnection('aura');
  const apiKey = `e2e-${randomBytes(12).toString('hex')}`;
  const candidateRefSecret = randomBytes(32).toString('hex');
  let trust: LocalTrust;
  beforeAll(async () => {
    trust = await testTrust();
  });
  const options = (name: string) => ({
    agencyId: 'aura',
    connection,
    port: PORT,
    apiKeyHash: sha256Hex(apiKey),
    candidateRefSecret,
    logFile: join(dir, `${name}.log`),
    keysDir: trust.keysDirOf('aura'),
    trustListFile: trust.trustListFile,
    extraEnv: { CONSUMER_GROUP_PURPOSE: `e2e-start-${randomBytes(4).toString('hex')}` },
  });

  it('refuses to start without a database, naming SQLITE_FILE and DATABASE_URL', async () => {
    const service = spawnAgency(options('no-database'));
    const code = await new Promise<number | null>((resolve) => service.child.once('exit', resolve));
    expect(code).toBe(1);
    const log = readFileSync(join(dir, 'no-database.log'), 'utf8');
    expect(log).toMatch(/SQLITE_FILE .*DATABASE_URL.*\[PASSPORT_CONFIG_INVALID\]/);
    expect(log).not.toContain(connection.sasl.password);
  });

  it('holds no password, key or secret in its process arguments, only in its environment', async () => {
    const service = spawnAgency({ ...options('running'), sqliteFile: join(dir, 'aura.db') });
    try {
      await waitUntilReady(service);
      const pid = service.child.pid as number;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect(argv).toContain('main.ts');
      for (const secret of [connection.sasl.password, apiKey, sha256Hex(apiKey), candidateRefSecret])
        expect(argv).not.toContain(secret);
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).toContain(
        `CANDIDATE_REF_SECRET=${candidateRefSecret}`,
      );
    } finally {
      await service.stop();
    }
  });
});
