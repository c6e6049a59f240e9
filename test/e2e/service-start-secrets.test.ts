import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnAgency, waitUntilReady } from '@passport/infra/system/agency-process';
import { sha256Hex } from '@passport/infra/system/api-keys';
import type { LocalTrust } from '@passport/infra/system/trust-list-file';
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

  it('holds no password, key or secret in its arguments or environment, only in its owner-only config file', async () => {
    const home = join(dir, 'aura-installation');
    const service = spawnAgency({ ...options('running'), home, sqliteFile: join(home, 'aura.db') });
    try {
      await waitUntilReady(service);
      const pid = service.child.pid as number;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect(argv).toContain('passport-agency.js');
      expect(realpathSync(`/proc/${pid}/cwd`)).toBe(realpathSync(home));
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      for (const secret of [connection.sasl.password, apiKey, sha256Hex(apiKey), candidateRefSecret]) {
        expect(argv).not.toContain(secret);
        expect(environ).not.toContain(secret);
      }
      const configFile = join(home, 'config.json');
      expect(statSync(configFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(configFile, 'utf8'))).toMatchObject({
        CANDIDATE_REF_SECRET: candidateRefSecret,
        SQLITE_FILE: 'aura.db',
        AGENCY_KEYS_DIR: 'keys',
        TRUST_LIST_FILE: 'trust-list.json',
      });
    } finally {
      await service.stop();
    }
  });
});
