import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSettings } from '@passport/config';
import pino from 'pino';
import { profileFromEnvironment } from '@passport/infra/profile';
import { caCertificateFile, certificateNotAfter, issueCertificate } from '@passport/infra/tls/local-ca';
import { createMetrics } from '@passport/agency-service/metrics';
import {
  CertificateExpiryWatch,
  connectionCertificateFiles,
  connectionServers,
  earliestNotAfter,
} from '@passport/agency-service/tls-expiry';

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
  const seconds = (text: string, file: string) =>
    Number(
      new RegExp(
        `^passport_tls_certificate_expiry_timestamp_seconds\\{file="${file}",agency="bwi"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1],
    );

  it("exports the CA's and the client certificate's notAfter in Unix seconds, by file", async () => {
    const profile = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: dir });
    const client = issueCertificate(profile, 'client-bwi', 'client', {}, 'bwi');
    const caFile = caCertificateFile(profile);
    const metrics = createMetrics('bwi');
    new CertificateExpiryWatch({
      connection: connection({ caFile, certFile: client.certFile, keyFile: client.keyFile }),
      metrics,
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
    }).recordFiles();
    const text = await metrics.registry.metrics();
    expect(seconds(text, 'kafka-ca')).toBe(Math.floor(certificateNotAfter(caFile).getTime() / 1000));
    expect(seconds(text, 'kafka-client')).toBe(
      Math.floor(certificateNotAfter(client.certFile).getTime() / 1000),
    );
    // A CA outlives the certificates it signs here; the two values are read from two files.
    expect(seconds(text, 'kafka-ca')).toBeGreaterThan(seconds(text, 'kafka-client'));
  });

  it('takes the earliest certificate of a bundle, as during a CA rotation', () => {
    const profile = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: dir });
    const leaf = issueCertificate(profile, 'server-probe', 'server');
    const caFile = caCertificateFile(profile);
    const bundle = join(dir, 'bundle.pem');
    // The longer-lived CA first: reading only the first certificate would miss the earlier end.
    writeFileSync(bundle, `${readFileSync(caFile, 'utf8')}\n${readFileSync(leaf.certFile, 'utf8')}`);
    expect(earliestNotAfter(bundle)).toBe(certificateNotAfter(leaf.certFile).getTime());
    expect(earliestNotAfter(bundle)).toBeLessThan(certificateNotAfter(caFile).getTime());
    writeFileSync(join(dir, 'empty.pem'), 'no certificate here');
    expect(() => earliestNotAfter(join(dir, 'empty.pem'))).toThrow(/holds no PEM certificate/);
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

  it('asks the first broker and an HTTPS registry for their certificates, not a plain HTTP one', () => {
    const servers = connectionServers(connection({}));
    expect(servers.map(({ label, host, port }) => ({ label, host, port }))).toEqual([
      { label: 'kafka-broker', host: '127.0.0.1', port: 9093 },
      { label: 'registry-server', host: 'registry.example', port: 443 },
    ]);
    const plain = connectionServers({ ...connection(false), registry: { url: 'http://127.0.0.1:8081' } });
    expect(plain).toEqual([]);
  });
});
