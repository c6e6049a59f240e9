import { randomUUID } from 'node:crypto';
import { createKafka, createTopicsWhenReadable } from '@passport/bus';
import { TOPICS } from '@passport/config';
import { logLevel, Partitioners } from 'kafkajs';
import { runKafkaTool } from '@passport/infra/kafka-tools/run-tool';
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
