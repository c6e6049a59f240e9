import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionToEnvironment, readConfigFile, type ConnectionSettings } from '@passport/config';
import { CONFIG_FILE_KEYS } from '@passport/agency-service/config';
import { principalConnection } from '@passport/infra/sources/running-cluster';
import { writeAgencyInstallation } from '@passport/infra/system/agency-installation';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("an agency's installation written from the admin's connection", () => {
  let dir: string;
  let previousUmask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-installation-'));
    // A shared host's usual umask: files are created group-writable unless the writer says otherwise.
    previousUmask = process.umask(0o002);
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The public and private material an mTLS admin and the exchange hand over, as real files. */
  function handedOver() {
    const file = (name: string, mode = 0o600) => {
      const path = join(dir, name);
      writeFileSync(path, name, { mode });
      return path;
    };
    const principals = file('principals.json');
    writeFileSync(
      principals,
      JSON.stringify({
        principals: { bwi: 'bwi-password-123456' },
        registryClients: { bwi: 'bwi-registry' },
      }),
    );
    const admin: ConnectionSettings = {
      brokers: ['127.0.0.1:19292'],
      ssl: { caFile: file('ca.pem', 0o664), certFile: file('admin.pem'), keyFile: file('admin.key') },
      registry: { url: 'https://127.0.0.1:18081/apis/ccompat/v7', username: 'admin', password: 'operator' },
    };
    return {
      admin,
      principals,
      trustList: file('trust-list.json', 0o664),
      agencies: file('agencies.json', 0o664),
    };
  }

  it("holds neither the admin's client certificate nor its key, only the CA", () => {
    const { admin, principals } = handedOver();
    const home = join(dir, 'agencies', 'bwi');
    const settings = connectionToEnvironment(principalConnection(admin, principals, 'bwi'));
    const config = readConfigFile(
      writeAgencyInstallation(home, settings, join(dir, 'no-keys')),
      CONFIG_FILE_KEYS,
    );
    expect(readdirSync(home).sort()).toEqual(['config.json', 'kafka-ca.pem']);
    expect(config).not.toHaveProperty('KAFKA_SSL_KEY_FILE');
    expect(config).not.toHaveProperty('KAFKA_SSL_CERT_FILE');
    expect(config).toMatchObject({ KAFKA_SASL_USERNAME: 'bwi', SCHEMA_REGISTRY_PASSWORD: 'bwi-registry' });
  });

  it('passes the config file rules under umask 002: copies 0644, key and config 0600', () => {
    const { admin, trustList, agencies } = handedOver();
    const { caFile, certFile, keyFile } = admin.ssl || {};
    const home = join(dir, 'agencies', 'bwi');
    const file = writeAgencyInstallation(
      home,
      {
        AGENCY: 'bwi',
        TRUST_LIST_FILE: trustList,
        PASSPORT_AGENCIES_FILE: agencies,
        KAFKA_SSL_CA_FILE: caFile ?? '',
        SCHEMA_REGISTRY_CA_FILE: caFile ?? '',
        KAFKA_SSL_CERT_FILE: certFile ?? '',
        KAFKA_SSL_KEY_FILE: keyFile ?? '',
      },
      join(dir, 'no-keys'),
    );
    const modes = Object.fromEntries(readdirSync(home).map((name) => [name, modeOf(join(home, name))]));
    expect(modes).toEqual({
      'config.json': 0o600,
      'trust-list.json': 0o644,
      'agencies.json': 0o644,
      'kafka-ca.pem': 0o644,
      'registry-ca.pem': 0o644,
      'kafka-client.pem': 0o644,
      'kafka-client.key': 0o600,
    });
    expect(() => readConfigFile(file, CONFIG_FILE_KEYS)).not.toThrow();
  });
});
