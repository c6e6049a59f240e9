import { connectionFromEnvironment, connectionToEnvironment } from '@passport/config';
import { ConfigError } from '@passport/errors';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileFromEnvironment } from '@passport/infra/profile';
import { caCertificateFile, issueCertificate } from '@passport/infra/tls/local-ca';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
  KAFKA_SASL_USERNAME: 'bwi',
  KAFKA_SASL_PASSWORD: 'secret-password',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081/apis/ccompat/v7',
};

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('connectionFromEnvironment', () => {
  it('parses brokers, SCRAM defaults and the registry URL, and round-trips to the environment', () => {
    const settings = connectionFromEnvironment(valid);
    expect(settings.brokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19093']);
    expect(settings.sasl?.mechanism).toBe('scram-sha-512');
    // Nothing said about TLS is TLS, against the system's roots: never a silent fall back to plaintext.
    expect(settings.ssl).toEqual({});
    expect(Object.isFrozen(settings)).toBe(true);
    expect(connectionFromEnvironment(connectionToEnvironment(settings))).toEqual(settings);
  });

  it('is plaintext only when KAFKA_SSL=false says so, and then refuses SASL/PLAIN', () => {
    expect(connectionFromEnvironment({ ...valid, KAFKA_SSL: 'false' }).ssl).toBe(false);
    const plain = errorOf(() =>
      connectionFromEnvironment({ ...valid, KAFKA_SSL: 'false', KAFKA_SASL_MECHANISM: 'plain' }),
    );
    expect(plain.variable).toBe('KAFKA_SASL_MECHANISM');
    expect(plain.message).toMatch(/password would cross the network in clear/);
    expect(connectionFromEnvironment({ ...valid, KAFKA_SASL_MECHANISM: 'plain' }).sasl?.mechanism).toBe(
      'plain',
    );
  });

  it.each([
    ['http://registry.example/apis/ccompat/v7', false],
    ['http://10.0.0.5:8081/apis/ccompat/v7', false],
    ['http://127.0.0.1:18081/apis/ccompat/v7', true],
    ['http://localhost:8081/apis/ccompat/v7', true],
    ['http://[::1]:8081/apis/ccompat/v7', true],
    ['https://registry.example/apis/ccompat/v7', true],
  ])('registry URL %s is accepted: %s (plain HTTP only on this machine)', (url, accepted) => {
    const read = () => connectionFromEnvironment({ ...valid, SCHEMA_REGISTRY_URL: url });
    if (accepted) expect(read().registry.url).toBe(url);
    else
      expect(errorOf(read)).toMatchObject({
        variable: 'SCHEMA_REGISTRY_URL',
        message: expect.stringMatching(/must be https/),
      });
  });

  it.each([
    [{ KAFKA_BROKERS: undefined }, 'KAFKA_BROKERS', /it is not set/],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', /host:port/],
    [{ KAFKA_SASL_PASSWORD: '' }, 'KAFKA_SASL_PASSWORD', /must not be empty/],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM', /scram-sha-512/],
    [{ SCHEMA_REGISTRY_URL: 'not a url' }, 'SCHEMA_REGISTRY_URL', /http/],
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL', /"true"\|"false"/],
  ])('names the variable in error for %j', (override, variable, message) => {
    const error = errorOf(() => connectionFromEnvironment({ ...valid, ...override }));
    expect(error.variable).toBe(variable);
    expect(error.code).toBe('PASSPORT_CONFIG_INVALID');
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(message);
  });

  it('never echoes the value it refused, so a secret in a wrong variable stays out of logs', () => {
    const secretLooking = 'hunter2-Sup3rS3cret-TOKEN-value';
    const errors = [
      errorOf(() => connectionFromEnvironment({ ...valid, KAFKA_SSL: secretLooking })),
      errorOf(() => connectionFromEnvironment({ ...valid, KAFKA_BROKERS: secretLooking })),
      errorOf(() => connectionFromEnvironment({ ...valid, SCHEMA_REGISTRY_URL: secretLooking })),
    ];
    for (const error of errors) {
      expect(error.message).toMatch(/its value is not shown/);
      expect(error.message).not.toContain(secretLooking);
      expect(JSON.stringify(error.details)).not.toContain(secretLooking);
    }
  });
});

describe('connectionFromEnvironment over TLS', () => {
  let dir: string;
  let ca: string;
  let cert: string;
  let key: string;
  let notPem: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-conn-tls-'));
    const profile = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: dir });
    ({ certFile: cert, keyFile: key } = issueCertificate(profile, 'client-bwi', 'client', {}, 'bwi'));
    ca = caCertificateFile(profile);
    notPem = join(dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello', { mode: 0o600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns TLS on with a CA file, and round-trips the files to the environment', () => {
    const settings = connectionFromEnvironment({ ...valid, KAFKA_SSL_CA_FILE: ca });
    expect(settings.ssl).toEqual({ caFile: ca });
    expect(connectionToEnvironment(settings)).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca });
    expect(connectionFromEnvironment(connectionToEnvironment(settings))).toEqual(settings);
  });

  it('uses the system roots for KAFKA_SSL=true without a CA file', () => {
    expect(connectionFromEnvironment({ ...valid, KAFKA_SSL: 'true' }).ssl).toEqual({});
  });

  it('logs in by client certificate with KAFKA_AUTH=mtls, without any SASL variable', () => {
    const { KAFKA_SASL_USERNAME: _user, KAFKA_SASL_PASSWORD: _password, ...rest } = valid;
    const env = {
      ...rest,
      KAFKA_AUTH: 'mtls',
      KAFKA_SSL_CA_FILE: ca,
      KAFKA_SSL_CERT_FILE: cert,
      KAFKA_SSL_KEY_FILE: key,
    };
    const settings = connectionFromEnvironment(env);
    expect(settings.sasl).toBeUndefined();
    expect(settings.ssl).toEqual({ caFile: ca, certFile: cert, keyFile: key });
    const round = connectionToEnvironment(settings);
    expect(round).toMatchObject({ KAFKA_AUTH: 'mtls', KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key });
    expect(round).not.toHaveProperty('KAFKA_SASL_USERNAME');
    expect(connectionFromEnvironment(round)).toEqual(settings);
  });

  it.each([
    [() => ({ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: ca }), 'KAFKA_SSL', /is false/],
    [() => ({ KAFKA_SSL_CERT_FILE: cert }), 'KAFKA_SSL_KEY_FILE', /required with KAFKA_SSL_CERT_FILE/],
    [() => ({ KAFKA_SSL_KEY_FILE: key }), 'KAFKA_SSL_CERT_FILE', /required with KAFKA_SSL_KEY_FILE/],
    [() => ({ KAFKA_AUTH: 'mtls' }), 'KAFKA_SSL_CERT_FILE', /KAFKA_AUTH=mtls/],
    [() => ({ KAFKA_AUTH: 'kerberos' }), 'KAFKA_AUTH', /"sasl"\|"mtls"/],
    [
      () => ({ KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') }),
      'KAFKA_SSL_CA_FILE',
      /cannot be read \(ENOENT\)/,
    ],
    [() => ({ KAFKA_SSL_CA_FILE: notPem }), 'KAFKA_SSL_CA_FILE', /not a PEM certificate/],
    [
      () => ({ KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: notPem }),
      'KAFKA_SSL_KEY_FILE',
      /not a PEM private key/,
    ],
    [() => ({ KAFKA_SASL_USERNAME: undefined }), 'KAFKA_SASL_USERNAME', /unless KAFKA_AUTH=mtls/],
  ])('names the TLS variable in error (case %#)', (override, variable, message) => {
    const error = errorOf(() => connectionFromEnvironment({ ...valid, ...override() }));
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(message);
  });
});
