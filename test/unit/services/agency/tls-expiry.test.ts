import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSettings } from '@passport/config';
import { profileFromEnvironment } from '@passport/infra/profile';
import { caCertificateFile, certificateNotAfter, issueCertificate } from '@passport/infra/tls/local-ca';
import { createMetrics } from '@passport/agency-service/metrics';
import { connectionCertificateFiles, recordCertificateExpiry } from '@passport/agency-service/tls-expiry';

describe('TLS certificate expiry metric', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-expiry-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const connection = (ssl: ConnectionSettings['ssl']): ConnectionSettings => ({
    brokers: ['127.0.0.1:9093'],
    ssl,
    registry: { url: 'https://registry.example/apis/ccompat/v7' },
  });

  it("exports the CA's and the client certificate's notAfter in Unix seconds, by file", async () => {
    const profile = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: dir });
    const client = issueCertificate(profile, 'client-bwi', 'client', {}, 'bwi');
    const caFile = caCertificateFile(profile);
    const metrics = createMetrics('bwi');
    recordCertificateExpiry(
      metrics,
      connectionCertificateFiles(connection({ caFile, certFile: client.certFile, keyFile: client.keyFile })),
    );
    const text = await metrics.registry.metrics();
    const seconds = (file: string) =>
      Number(
        new RegExp(
          `^passport_tls_certificate_expiry_timestamp_seconds\\{file="${file}",agency="bwi"\\} (\\d+)$`,
          'm',
        ).exec(text)?.[1],
      );
    expect(seconds('kafka-ca')).toBe(Math.floor(certificateNotAfter(caFile).getTime() / 1000));
    expect(seconds('kafka-client')).toBe(Math.floor(certificateNotAfter(client.certFile).getTime() / 1000));
    // A CA outlives the certificates it signs here; the two values are read from two files.
    expect(seconds('kafka-ca')).toBeGreaterThan(seconds('kafka-client'));
  });

  it('names no file when the connection is plaintext and the registry uses the system roots', () => {
    expect(connectionCertificateFiles(connection(false))).toEqual({});
  });

  it("names the registry's CA beside the broker's, even when both are one file", () => {
    const files = connectionCertificateFiles({
      ...connection({ caFile: '/etc/passport/ca.pem' }),
      registry: { url: 'https://registry.example/apis/ccompat/v7', caFile: '/etc/passport/ca.pem' },
    });
    expect(files).toEqual({ 'kafka-ca': '/etc/passport/ca.pem', 'registry-ca': '/etc/passport/ca.pem' });
  });
});
