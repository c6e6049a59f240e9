import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@passport/errors';
import { consoleConfig } from '@passport/console/config';
import { readTrustListFile } from '@passport/console/trust-list-file';

const external = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_SASL_USERNAME: 'admin',
  KAFKA_SASL_PASSWORD: 'admin-password',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081/apis/ccompat/v7',
};

describe('console configuration', () => {
  it('takes the web console password from PASSPORT_CONSOLE_PASSWORD', () => {
    const password = 'twelve-or-more-characters';
    expect(consoleConfig({ ...external, PASSPORT_CONSOLE_PASSWORD: password }).consolePassword).toBe(
      password,
    );
  });

  it('refuses a short password naming the variable, without printing the password', () => {
    const tooShort = 'S3cr3t!pw';
    let refused: unknown;
    try {
      consoleConfig({ ...external, PASSPORT_CONSOLE_PASSWORD: tooShort });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).variable).toBe('PASSPORT_CONSOLE_PASSWORD');
    expect((refused as ConfigError).message).toMatch(/at least 12 characters/);
    expect((refused as ConfigError).message).not.toContain(tooShort);
  });
});

describe('console configuration file', () => {
  it('reads the connection from PASSPORT_CONFIG_FILE, paths taken from its folder, the environment first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-config-'));
    const file = join(dir, 'console.json');
    writeFileSync(file, JSON.stringify({ ...external, TRUST_LIST_FILE: 'trust.json' }), { mode: 0o600 });
    try {
      const config = consoleConfig({ PASSPORT_CONFIG_FILE: file, KAFKA_SASL_USERNAME: 'operator' });
      expect(config.connection.brokers).toEqual(['127.0.0.1:19092']);
      expect(config.connection.sasl?.username).toBe('operator');
      expect(config.trustListFile).toBe(join(dir, 'trust.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('console trust list', () => {
  it('takes TRUST_LIST_FILE from the environment, or leaves it unset for a lookup to name', () => {
    expect(consoleConfig(external).trustListFile).toBe('');
    expect(consoleConfig({ ...external, TRUST_LIST_FILE: '/etc/passport/trust.json' }).trustListFile).toBe(
      '/etc/passport/trust.json',
    );
  });

  it('refuses an unreadable or invalid list naming TRUST_LIST_FILE and the fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-trust-'));
    try {
      const notJson = join(dir, 'not-json.json');
      writeFileSync(notJson, '{');
      const wrongShape = join(dir, 'wrong.json');
      writeFileSync(wrongShape, JSON.stringify({ version: 1, agencies: { bwi: { signingKeys: 'x' } } }));
      for (const [file, fault] of [
        [join(dir, 'absent.json'), /cannot be read/],
        [notJson, /is not JSON/],
        [wrongShape, /agencies\.bwi/],
      ] as const) {
        let refused: unknown;
        try {
          readTrustListFile(file);
        } catch (error) {
          refused = error;
        }
        expect(refused).toBeInstanceOf(ConfigError);
        expect((refused as ConfigError).variable).toBe('TRUST_LIST_FILE');
        expect((refused as ConfigError).message).toMatch(fault);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
