import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@passport/bus';
import { TOPICS, type ConnectionSettings } from '@passport/config';
import { logLevel } from 'kafkajs';
import { readSecrets } from '@passport/infra/cluster-secrets';
import { localConnection } from '@passport/infra/local-connection';
import { paths, profileFromEnvironment } from '@passport/infra/profile';
import { issueCertificate } from '@passport/infra/tls/local-ca';
import { uniqueName } from '../../../support/cluster';
import { refusedGroupJoin } from '../../../support/group-denial';
import { protocolErrorTypes } from '../../../support/kafka-errors';

function mtlsConnection(principal: string): ConnectionSettings {
  const profile = profileFromEnvironment('test');
  return localConnection(profile, readSecrets(paths.secrets(profile)), principal, { auth: 'mtls' });
}

describe('client-certificate (mTLS) principals', () => {
  it('connects with a certificate alone, on a listener of its own', () => {
    const connection = mtlsConnection('bwi');
    expect(connection.sasl).toBeUndefined();
    expect(connection.ssl).toMatchObject({ certFile: expect.stringMatching(/client-bwi\.pem$/) });
  });

  it("lets an agency's certificate do what the agency's ACLs allow: join its own consumer group", async () => {
    const kafka = createKafka(mtlsConnection('bwi'), {
      clientId: 'bwi.mtls-test',
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: uniqueName('bwi.mtls') });
    await consumer.connect();
    try {
      const joined = new Promise<string>((resolve) =>
        consumer.on(consumer.events.GROUP_JOIN, (event) => resolve(event.payload.groupId)),
      );
      await consumer.subscribe({ topic: TOPICS.cooperationRequests, fromBeginning: false });
      await consumer.run({ eachMessage: async () => undefined });
      expect(await joined).toMatch(/^bwi\.mtls-/);
    } finally {
      await consumer.disconnect();
    }
  });

  it('denies the same certificate what the ACLs do not grant', async () => {
    const admin = createKafka(mtlsConnection('bwi'), {
      clientId: 'bwi.mtls-test',
      logLevel: logLevel.NOTHING,
      retries: 1,
    }).admin();
    await admin.connect();
    try {
      const createError = await admin
        .createTopics({ topics: [{ topic: uniqueName('bwi.mtls-rogue'), numPartitions: 1 }] })
        .catch((e: unknown) => e);
      expect(protocolErrorTypes(createError)).toContain('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
    const refusal = await refusedGroupJoin(
      mtlsConnection('bwi'),
      'bwi.mtls-test',
      uniqueName('aura.stolen-by-cert'),
      TOPICS.cooperationRequests,
    );
    expect(refusal.errorTypes).toContain('GROUP_AUTHORIZATION_FAILED');
  });

  it('refuses a client certificate issued by another CA, even for a known principal', async () => {
    const otherCache = mkdtempSync(join(tmpdir(), 'passport-other-ca-'));
    try {
      const other = profileFromEnvironment('test', { PASSPORT_CACHE_DIR: otherCache });
      const forged = issueCertificate(other, 'client-bwi', 'client', {}, 'bwi');
      const genuine = mtlsConnection('bwi');
      if (!genuine.ssl) throw new Error('an mTLS connection uses TLS');
      const settings = {
        ...genuine,
        ssl: { ...genuine.ssl, certFile: forged.certFile, keyFile: forged.keyFile },
      };
      const admin = createKafka(settings, {
        clientId: 'forged',
        logLevel: logLevel.NOTHING,
        retries: 0,
      }).admin();
      const error = await admin
        .connect()
        .then(() => admin.describeCluster())
        .catch((e: unknown) => e as Error)
        .finally(() => admin.disconnect());
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(/certificate|Closed connection|alert/i);
    } finally {
      rmSync(otherCache, { recursive: true, force: true });
    }
  });
});
