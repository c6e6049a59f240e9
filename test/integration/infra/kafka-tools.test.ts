import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { logLevel, Partitioners } from 'kafkajs';
import { readSecrets } from '@passport/infra/cluster-secrets';
import { runKafkaTool } from '@passport/infra/kafka-tools/run-tool';
import { setScramPassword } from '@passport/infra/kafka-tools/scram-password';
import { paths, profileFromEnvironment } from '@passport/infra/profile';
import { parseToolInvocation, type KafkaToolName } from '@passport/infra/kafka-tools/tools';
import { adminConnection, agencyConnection, uniqueName } from '../../support/cluster';

/** Kafka's own Java tools, through our wrapper, with the credentials of `principal`. */
function kafkaTool(tool: KafkaToolName, principal: string, args: string[]) {
  const invocation = parseToolInvocation([tool, '--as', principal, ...args]);
  if ('error' in invocation) throw new Error(invocation.error);
  const result = runKafkaTool(invocation, { capture: true, timeoutMs: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("Kafka's own command-line tools with an agency's SCRAM credentials", () => {
  it('lists only the topics the agency may see', async () => {
    const hidden = uniqueName('test.hidden');
    const admin = createKafka(adminConnection(), {
      clientId: 'tools-it',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await createTopicsWhenReadable(admin, [{ topic: hidden, numPartitions: 1 }]);
    try {
      const asAgency = kafkaTool('topics', 'bwi', ['--list']);
      expect(asAgency.status).toBe(0);
      const visible = asAgency.stdout.split('\n').filter(Boolean);
      expect(visible).toEqual(expect.arrayContaining(Object.values(TOPICS)));
      expect(visible).not.toContain(hidden);
      expect(kafkaTool('topics', 'admin', ['--list']).stdout).toContain(hidden);
    } finally {
      await admin.deleteTopics({ topics: [hidden] });
      await admin.disconnect();
    }
  });

  it('consumes a message the project produced, with its key and headers, and shows the agency group', async () => {
    const requestId = randomUUID();
    const eventId = randomUUID();
    const producer = createKafka(agencyConnection('bwi'), {
      clientId: 'bwi.tools-it',
      logLevel: logLevel.NOTHING,
    }).producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const [sent] = await producer.send({
      topic: TOPICS.cooperationRequests,
      acks: -1,
      messages: [
        {
          key: requestId,
          value: 'from-kafkajs',
          headers: { ce_id: eventId, ce_type: 'eu.fourmotors.passport.Probe' },
        },
      ],
    });
    await producer.disconnect();

    const consumed = kafkaTool('console-consumer', 'aura', [
      '--topic',
      TOPICS.cooperationRequests,
      '--partition',
      String(sent?.partition),
      '--offset',
      String(sent?.baseOffset),
      '--max-messages',
      '1',
      '--timeout-ms',
      '30000',
      '--formatter-property',
      'print.key=true',
      '--formatter-property',
      'print.headers=true',
    ]);
    expect(consumed.status).toBe(0);
    expect(consumed.stdout).toContain(requestId);
    expect(consumed.stdout).toContain(`ce_id:${eventId}`);
    expect(consumed.stdout).toContain('ce_type:eu.fourmotors.passport.Probe');
    expect(consumed.stdout).toContain('from-kafkajs');

    // With a group the console consumer commits what it read, so the agency's group becomes visible.
    const group = uniqueName('aura.tools');
    const inGroup = kafkaTool('console-consumer', 'aura', [
      '--topic',
      TOPICS.cooperationRequests,
      '--group',
      group,
      '--from-beginning',
      '--max-messages',
      '1',
      '--timeout-ms',
      '30000',
    ]);
    expect(inGroup.stderr).toContain('Processed a total of 1 messages');
    const described = kafkaTool('consumer-groups', 'aura', ['--describe', '--group', group]);
    expect(described.status).toBe(0);
    expect(described.stdout).toContain(group);
    expect(described.stdout).toContain(TOPICS.cooperationRequests);
  });

  it('is denied what the ACLs deny', () => {
    const create = kafkaTool('topics', 'bwi', [
      '--create',
      '--topic',
      uniqueName('bwi.rogue'),
      '--partitions',
      '1',
    ]);
    expect(create.status).not.toBe(0);
    expect(`${create.stdout}${create.stderr}`).toMatch(
      /Authorization failed|TopicAuthorizationException|ClusterAuthorizationException/,
    );

    const foreignGroup = kafkaTool('console-consumer', 'bwi', [
      '--topic',
      TOPICS.cooperationRequests,
      '--group',
      uniqueName('promos.not-yours'),
      '--from-beginning',
      '--max-messages',
      '1',
      '--timeout-ms',
      '15000',
    ]);
    // The console consumer reports the denial and reads nothing, though it exits 0 (Kafka 4.4 behaviour).
    expect(foreignGroup.stderr).toMatch(/GroupAuthorizationException: Not authorized to access group/);
    expect(foreignGroup.stderr).toContain('Processed a total of 0 messages');
  });
});

/** Whether `username` can log in with `password` (a SASL refusal is false; anything else throws). */
async function logsIn(username: string, password: string): Promise<boolean> {
  const admin = createKafka(
    { ...adminConnection(), sasl: { mechanism: 'scram-sha-512', username, password } },
    { clientId: 'scram-it', logLevel: logLevel.NOTHING, retries: 0 },
  ).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch (error) {
    if (/SASL|authentication/i.test(String(error))) return false;
    throw error;
  } finally {
    await admin.disconnect();
  }
}

describe('a new SCRAM password from an owner-only file (scram-password)', () => {
  it('takes effect at once, replaces the old one and is written to the local secrets', async () => {
    const probe = uniqueName('probe');
    const dir = mkdtempSync(join(tmpdir(), 'passport-scram-it-'));
    const localSecrets = join(dir, 'secrets.json');
    const source = process.env.PASSPORT_PRINCIPALS_FILE ?? paths.secrets(profileFromEnvironment('test'));
    const secrets = JSON.parse(readFileSync(source, 'utf8')) as { principals: Record<string, string> };
    secrets.principals[probe] = 'never-set-on-the-broker';
    writeFileSync(localSecrets, JSON.stringify(secrets), { mode: 0o600 });
    // The local cluster's path: no KAFKA_BROKERS, the secrets file of the profile.
    const env: NodeJS.ProcessEnv = { ...process.env, PASSPORT_PRINCIPALS_FILE: localSecrets };
    delete env.KAFKA_BROKERS;
    const newPassword = (name: string) => {
      const password = randomBytes(18).toString('base64url');
      writeFileSync(join(dir, name), `${password}\n`, { mode: 0o600 });
      return { password, file: join(dir, name) };
    };
    try {
      const first = newPassword('first');
      const set = setScramPassword(
        { user: probe, passwordFile: first.file, profile: 'test' },
        { env, timeoutMs: 60_000 },
      );
      expect({ status: set.status, stderr: set.stderr }).toEqual({ status: 0, stderr: '' });
      expect(set.localSecretsFile).toBe(localSecrets);
      expect(await logsIn(probe, first.password)).toBe(true);

      const second = newPassword('second');
      expect(
        setScramPassword(
          { user: probe, passwordFile: second.file, profile: 'test' },
          { env, timeoutMs: 60_000 },
        ).status,
      ).toBe(0);
      expect(await logsIn(probe, first.password)).toBe(false);
      expect(await logsIn(probe, second.password)).toBe(true);
      expect(readSecrets(localSecrets).principals[probe]).toBe(second.password);
      expect(readFileSync(localSecrets, 'utf8')).not.toContain(first.password);
    } finally {
      kafkaTool('configs', 'admin', [
        '--alter',
        '--delete-config',
        'SCRAM-SHA-512',
        '--entity-type',
        'users',
        '--entity-name',
        probe,
      ]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
