import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, kafkaConfig, tlsOptions } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { Kafka, logLevel } from 'kafkajs';
import { profileFromEnvironment } from '@passport/infra/profile';
import { ensureLocalCa } from '@passport/infra/tls/local-ca';
import { adminConnection } from '../../../support/cluster';

/** Connects an admin client and reads the cluster's metadata; the broker only answers a trusted session. */
async function describeWith(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect();
  }
}

function kafkaFor(settings: ConnectionSettings): Kafka {
  return createKafka(settings, { clientId: 'tls-test', logLevel: logLevel.NOTHING, retries: 0 });
}

describe('TLS on the client listener', () => {
  let otherCaDir: string;
  beforeAll(() => {
    otherCaDir = mkdtempSync(join(tmpdir(), 'passport-other-ca-'));
  });
  afterAll(() => rmSync(otherCaDir, { recursive: true, force: true }));

  it('serves a client that trusts the local CA and checks the broker name', async () => {
    const connection = adminConnection();
    expect(connection.ssl).toEqual({ caFile: expect.stringMatching(/ca\.pem$/) });
    expect(await describeWith(kafkaFor(connection))).toBeGreaterThanOrEqual(1);
  });

  it('gives a plaintext client nothing', async () => {
    const kafka = createKafka(
      { ...adminConnection(), ssl: false },
      { clientId: 'tls-test', logLevel: logLevel.NOTHING, retries: 0, connectionTimeoutMs: 2_000 },
    );
    // The broker waits for a TLS handshake and drops a connection that opens with a Kafka request.
    await expect(describeWith(kafka)).rejects.toThrow(/Closed connection|timeout/i);
  });

  it('is refused by a client that trusts another CA', async () => {
    const otherCa = ensureLocalCa(profileFromEnvironment('test', { PASSPORT_CACHE_DIR: otherCaDir }));
    const error = await describeWith(kafkaFor({ ...adminConnection(), ssl: { caFile: otherCa } })).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/certificate/i);
  });

  it('is refused by a client that dialed a name the broker certificate does not carry', async () => {
    const connection = adminConnection();
    const tls = tlsOptions(connection);
    if (!tls) throw new Error('the test cluster is expected to use TLS');
    const kafka = new Kafka({
      ...kafkaConfig(connection, { clientId: 'tls-test', logLevel: logLevel.NOTHING, retries: 0 }),
      // As if the broker had been reached under another name: Node checks the name against the certificate.
      ssl: { ...tls, servername: 'kafka.other-agency.example' },
    });
    const error = await describeWith(kafka).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/Hostname\/IP does not match certificate's altnames/);
  });
});
