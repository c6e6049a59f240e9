import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeClientProperties } from '@passport/infra/kafka/client-properties';
import { profileFromEnvironment } from '@passport/infra/profile';
import { caCertificateFile, issueCertificate } from '@passport/infra/tls/local-ca';

describe("writeClientProperties (Kafka's Java tools)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-client-props-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

  it('logs in with SCRAM over TLS, trusting the CA as a PEM trust store, in an owner-only file', () => {
    const file = writeClientProperties(join(dir, 'run'), {
      principal: 'bwi',
      password: 'pa"ss',
      tls: { caFile: '/ca.pem' },
    });
    expect(lines(file)).toEqual([
      'security.protocol=SASL_SSL',
      'ssl.endpoint.identification.algorithm=https',
      'ssl.truststore.type=PEM',
      'ssl.truststore.location=/ca.pem',
      'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="bwi" password="pa\\"ss";',
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('presents a client certificate without a password for an mTLS principal', () => {
    const profile = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: dir });
    const issued = issueCertificate(profile, 'client-aura', 'client', {}, 'aura');
    const caFile = caCertificateFile(profile);
    const file = writeClientProperties(join(dir, 'run'), {
      principal: 'aura',
      tls: { caFile, certFile: issued.certFile, keyFile: issued.keyFile },
    });
    const properties = lines(file);
    expect(properties[0]).toBe('security.protocol=SSL');
    expect(properties.some((line) => line.startsWith('sasl.'))).toBe(false);
    const keyStore =
      properties.find((line) => line.startsWith('ssl.keystore.location='))?.split('=')[1] ?? '';
    expect(properties).toContain('ssl.keystore.type=PEM');
    expect(readFileSync(keyStore, 'utf8')).toContain(readFileSync(issued.certFile, 'utf8').trim());
    expect(statSync(keyStore).mode & 0o777).toBe(0o600);
  });
});
