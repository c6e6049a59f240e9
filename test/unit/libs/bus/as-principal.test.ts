import { asPrincipal } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { principalConnection } from '@passport/infra/sources/running-cluster';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An admin that logs in with its client certificate (mTLS) on an external cluster. */
const mtlsAdmin: ConnectionSettings = {
  brokers: ['kafka.example:9094'],
  ssl: {
    caFile: '/etc/passport/ca.pem',
    certFile: '/etc/passport/admin.pem',
    keyFile: '/etc/passport/admin.key',
  },
  registry: {
    url: 'https://registry.example/apis/ccompat/v7',
    username: 'admin',
    password: 'operator-secret',
  },
};

describe('switching principal', () => {
  it("keeps the CA and leaves the first principal's client certificate and key behind", () => {
    const agency = asPrincipal(mtlsAdmin, 'bwi', 'bwi-password-123456');
    expect(agency.ssl).toEqual({ caFile: '/etc/passport/ca.pem' });
    expect(agency.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'bwi',
      password: 'bwi-password-123456',
    });
    expect(asPrincipal({ ...mtlsAdmin, ssl: false }, 'bwi', 'x').ssl).toBe(false);
  });

  it("gives an agency's connection neither the admin's key nor the operator's registry secret", () => {
    const dir = mkdtempSync(join(tmpdir(), 'passport-principals-'));
    try {
      const file = join(dir, 'principals.json');
      writeFileSync(
        file,
        JSON.stringify({
          principals: { bwi: 'bwi-password-123456' },
          registryClients: { bwi: 'bwi-registry-secret' },
        }),
      );
      const agency = principalConnection(mtlsAdmin, file, 'bwi');
      const text = JSON.stringify(agency);
      expect(text).not.toContain('admin.key');
      expect(text).not.toContain('admin.pem');
      expect(text).not.toContain('operator-secret');
      expect(agency.registry).toMatchObject({ username: 'bwi', password: 'bwi-registry-secret' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
