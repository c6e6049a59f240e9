import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFileOf, readConfigFile } from '@passport/config';
import { CONFIG_FILE_KEYS, loadProcessConfig } from '@passport/agency-service/config';
import { AGENCY_BASE_ENVIRONMENT, configRefusal } from '../../../support/agency-config';

const SECRET = 'Sup3r-S3cret-Value-Nobody-May-See-0123456789';

/** Writes `content` as an installation's config.json with `mode`, in a folder of its own. */
function configFile(content: unknown, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), 'passport-config-file-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(file, mode);
  return file;
}

describe('agency configuration file', () => {
  it('is named by --config, --config=, or PASSPORT_CONFIG_FILE, the argument first', () => {
    expect(configFileOf(['--config', 'a.json'], { PASSPORT_CONFIG_FILE: 'b.json' })).toBe('a.json');
    expect(configFileOf(['--config=c.json'], {})).toBe('c.json');
    expect(configFileOf([], { PASSPORT_CONFIG_FILE: 'b.json' })).toBe('b.json');
    expect(configFileOf([], {})).toBeUndefined();
    expect(configRefusal(() => configFileOf(['--config'], {})).variable).toBe('PASSPORT_CONFIG_FILE');
  });

  it('configures the service alone, numbers accepted, paths taken from the file folder', () => {
    const { TRUST_LIST_FILE, ...rest } = AGENCY_BASE_ENVIRONMENT;
    const file = configFile({
      ...rest,
      HTTP_PORT: 9123,
      SQLITE_FILE: 'data/bwi.db',
      AGENCY_KEYS_DIR: 'keys',
      TRUST_LIST_FILE,
    });
    const config = loadProcessConfig(['--config', file], {});
    expect(config.http.port).toBe(9123);
    expect(config.database).toEqual({ kind: 'sqlite', file: join(file, '..', 'data', 'bwi.db') });
    expect(config.keysDir).toBe(join(file, '..', 'keys'));
    expect(config.agency.id).toBe('bwi');
  });

  it('lets the environment override the file', () => {
    const file = configFile({ ...AGENCY_BASE_ENVIRONMENT, HTTP_PORT: 9123 });
    expect(loadProcessConfig([], { PASSPORT_CONFIG_FILE: file, HTTP_PORT: '9200' }).http.port).toBe(9200);
  });

  it('keeps an in-memory database name as it is', () => {
    const file = configFile({ SQLITE_FILE: ':memory:' });
    expect(readConfigFile(file, CONFIG_FILE_KEYS).SQLITE_FILE).toBe(':memory:');
  });

  it('refuses an unknown key, naming it', () => {
    const error = configRefusal(() => readConfigFile(configFile({ KAFKA_BROKER: 'x:1' }), CONFIG_FILE_KEYS));
    expect(error.variable).toBe('KAFKA_BROKER');
    expect(error.message).toContain('unknown key KAFKA_BROKER');
  });

  it.each([
    ['an array', '[]'],
    ['not JSON', `{"CANDIDATE_REF_SECRET": "${SECRET}"`],
  ])('refuses a file that is %s, without quoting it', (_what, text) => {
    const error = configRefusal(() => readConfigFile(configFile(text), CONFIG_FILE_KEYS));
    expect(error.variable).toBe('PASSPORT_CONFIG_FILE');
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a value that is neither string nor number', () => {
    const error = configRefusal(() => readConfigFile(configFile({ HTTP_PORT: [1] }), CONFIG_FILE_KEYS));
    expect(error.variable).toBe('HTTP_PORT');
  });

  it.each(['640', '604', '644'])('refuses secrets in a file others may read (mode %s)', (octal) => {
    const file = configFile({ CANDIDATE_REF_SECRET: SECRET }, parseInt(octal, 8));
    const error = configRefusal(() => readConfigFile(file, CONFIG_FILE_KEYS));
    expect(error.message).toMatch(/CANDIDATE_REF_SECRET .*readable by others/);
    // The command to run, with the file's path: copied from the log, it fixes exactly that file.
    expect(error.message).toContain(`chmod 600 ${file}`);
    expect(error.message).not.toContain(SECRET);
  });

  it.each(['620', '602', '666'])('refuses a configuration file others may change (mode %s)', (octal) => {
    const file = configFile({ AGENCY: 'bwi' }, parseInt(octal, 8));
    const error = configRefusal(() => readConfigFile(file, CONFIG_FILE_KEYS));
    expect(error.variable).toBe('PASSPORT_CONFIG_FILE');
    expect(error.message).toContain(`${file} can be changed by others (mode ${octal})`);
    expect(error.message).toContain(`chmod go-w ${file}`);
  });

  it.each(['KAFKA_SSL_CA_FILE', 'SCHEMA_REGISTRY_CA_FILE', 'TRUST_LIST_FILE', 'PASSPORT_AGENCIES_FILE'])(
    'refuses a %s others may change, naming it; accepts it read-only for them',
    (key) => {
      const file = configFile({ AGENCY: 'bwi' });
      const named = join(file, '..', 'trusted.pem');
      writeFileSync(named, 'content');
      chmodSync(named, 0o664);
      const config = configFile({ [key]: named });
      const error = configRefusal(() => readConfigFile(config, CONFIG_FILE_KEYS));
      expect(error.variable).toBe(key);
      expect(error.message).toMatch(/mode 664.*chooses whom the service trusts/);
      expect(error.message).toContain(`chmod go-w ${named}`);
      chmodSync(named, 0o644);
      expect(readConfigFile(config, CONFIG_FILE_KEYS)[key]).toBe(named);
    },
  );

  it('refuses a client key others may read, naming KAFKA_SSL_KEY_FILE', () => {
    const file = configFile({ AGENCY: 'bwi' });
    const key = join(file, '..', 'client.key');
    writeFileSync(key, 'private');
    chmodSync(key, 0o640);
    const error = configRefusal(() =>
      readConfigFile(configFile({ KAFKA_SSL_KEY_FILE: key }), CONFIG_FILE_KEYS),
    );
    expect(error.variable).toBe('KAFKA_SSL_KEY_FILE');
    expect(error.message).toMatch(/private key readable by others \(mode 640\)/);
    expect(error.message).toContain(`chmod 600 ${key}`);
  });

  it('accepts a readable file holding no secret', () => {
    const file = configFile({ AGENCY: 'bwi' }, 0o644);
    expect(readConfigFile(file, CONFIG_FILE_KEYS)).toEqual({ AGENCY: 'bwi' });
  });
});
