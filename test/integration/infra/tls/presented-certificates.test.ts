import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connectionServers, presentedNotAfter } from '@passport/agency-service/tls-expiry';
import { profileFromEnvironment } from '@passport/infra/profile';
import { certificateNotAfter, ensureLocalCa } from '@passport/infra/tls/local-ca';
import { adminConnection } from '../../../support/cluster';

/**
 * The expiry metric's server series: the certificates the broker and the registry present, read by a
 * verified handshake, are the ones the local CA issued them (files in the profile's TLS folder).
 */
describe('certificates the servers present', () => {
  const connection = adminConnection();
  const tlsDir = () => {
    const ssl = connection.ssl;
    if (!ssl || !ssl.caFile) throw new Error('the test cluster is expected to use TLS with the local CA');
    return dirname(ssl.caFile);
  };

  it("reads the broker's and the registry's certificate as they present it", async () => {
    const servers = connectionServers(connection);
    expect(servers.map((server) => server.label)).toEqual(['kafka-broker', 'registry-server']);
    const [broker, registry] = servers;
    expect(await presentedNotAfter(broker!)).toBe(
      certificateNotAfter(join(tlsDir(), 'kafka-broker.pem')).getTime(),
    );
    expect(await presentedNotAfter(registry!)).toBe(
      certificateNotAfter(join(tlsDir(), 'registry.pem')).getTime(),
    );
  });

  it('refuses a server its CA does not vouch for, as the clients do', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'passport-other-ca-'));
    try {
      const otherCa = ensureLocalCa(profileFromEnvironment('test', { PASSPORT_CACHE_DIR: otherDir }));
      const [broker] = connectionServers(connection);
      await expect(
        presentedNotAfter({ ...broker!, tls: { ca: [readFileSync(otherCa, 'utf8')] } }),
      ).rejects.toThrow(/certificate/i);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
