import type { ProfileName } from '../profile';

/**
 * Kafka's own command-line tools, by the names of their kafka-*.sh scripts. All of them take
 * `--bootstrap-server` and, since Kafka 4.x, `--command-config` for the client properties.
 */
export const KAFKA_TOOLS = Object.freeze({
  topics: 'org.apache.kafka.tools.TopicCommand',
  'consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  acls: 'org.apache.kafka.tools.AclCommand',
  configs: 'org.apache.kafka.tools.ConfigCommand',
  /** `describe --status` names the active controller (LeaderId), which no kafkajs call can tell. */
  'metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
} as const);

export type KafkaToolName = keyof typeof KAFKA_TOOLS;

export function isKafkaTool(name: string | undefined): name is KafkaToolName {
  return name !== undefined && Object.hasOwn(KAFKA_TOOLS, name);
}

export interface ToolInvocation {
  tool: KafkaToolName;
  /** Principal whose credentials the tool uses; the admin when `--as` is not given. */
  principal: string;
  /** Which local cluster when KAFKA_BROKERS does not name one: `--test` and `--faults` pick theirs. */
  profile: ProfileName;
  toolArgs: string[];
}

/**
 * Splits our own flags (`--as <principal>`, `--test`, `--faults`) from the arguments passed through to
 * the tool.
 */
export function parseToolInvocation(argv: readonly string[]): ToolInvocation | { error: string } {
  const [tool, ...rest] = argv;
  if (!isKafkaTool(tool)) {
    return { error: `Unknown tool "${tool ?? ''}". Tools: ${Object.keys(KAFKA_TOOLS).join(', ')}.` };
  }
  const toolArgs: string[] = [];
  let principal = 'admin';
  let profile: ProfileName = 'dev';
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index] as string;
    if (arg === '--as') {
      const value = rest[index + 1];
      if (!value || value.startsWith('--')) return { error: '--as needs a principal name, e.g. --as bwi' };
      principal = value;
      index += 1;
    } else if (arg === '--test') {
      profile = 'test';
    } else if (arg === '--faults') {
      profile = 'faults';
    } else {
      toolArgs.push(arg);
    }
  }
  return { tool, principal, profile, toolArgs };
}
