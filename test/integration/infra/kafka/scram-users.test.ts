import { randomBytes } from 'node:crypto';
import { createKafka } from '@passport/bus';
import { logLevel } from 'kafkajs';
import { readSecrets } from '@passport/infra/cluster-secrets';
import { findJava } from '@passport/infra/install/java';
import { addScramUsers, alterScramUser } from '@passport/infra/kafka/scram-users';
import { paths, profileFromEnvironment } from '@passport/infra/profile';
import { KAFKA_MIN_JAVA } from '@passport/infra/versions';
import { adminConnection, uniqueName } from '../../../support/cluster';

// Kafka's ConfigCommand runs against the local JVM install; an external or container cluster has none.
const onLocalCluster = process.env.PASSPORT_CLUSTER_SOURCE === 'local' ? it : it.skip;

describe('SCRAM users added with Kafka ConfigCommand through an argument file', () => {
  onLocalCluster('creates a user that can log in with its password, and only with it', async () => {
    const profile = profileFromEnvironment('test');
    const java = findJava(KAFKA_MIN_JAVA, "Kafka's tools", process.env);
    const libs = paths.kafkaLibs(profile);
    const secrets = readSecrets(paths.secrets(profile));
    const name = uniqueName('scram-it');
    const password = randomBytes(24).toString('base64url');
    addScramUsers(
      profile,
      java,
      libs,
      { ...secrets, principals: { ...secrets.principals, [name]: password } },
      [name],
    );
    const login = async (secret: string) => {
      const admin = createKafka(
        { ...adminConnection(), sasl: { mechanism: 'scram-sha-512', username: name, password: secret } },
        { clientId: 'scram-it', logLevel: logLevel.NOTHING },
      ).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return 'logged in';
      } catch {
        return 'refused';
      } finally {
        await admin.disconnect();
      }
    };
    try {
      expect(await login(password)).toBe('logged in');
      expect(await login(`${password}x`)).toBe('refused');
    } finally {
      alterScramUser(profile, java, libs, secrets, name, ['--delete-config', 'SCRAM-SHA-512']);
    }
  });
});
