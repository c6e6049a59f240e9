import { createTopicsWhenReadable } from '@passport/bus';
import type { Admin } from 'kafkajs';
import type { TopicDeclaration } from './topics';

export interface ReplicationSettings {
  replicationFactor: number;
  minInsyncReplicas: number;
}

export interface TopicChanges {
  created: string[];
  grown: string[];
  unchanged: string[];
}

function topicConfig(topic: TopicDeclaration, replication: ReplicationSettings) {
  return [
    { name: 'retention.ms', value: String(topic.retentionMs) },
    { name: 'cleanup.policy', value: topic.cleanupPolicy },
    { name: 'min.insync.replicas', value: String(replication.minInsyncReplicas) },
    ...(topic.maxMessageBytes === undefined
      ? []
      : [{ name: 'max.message.bytes', value: String(topic.maxMessageBytes) }]),
  ];
}

/**
 * Creates missing topics, adds partitions where the declaration asks for more, and sets each topic's
 * managed configuration. Running it again changes nothing. Partitions are never removed: Kafka cannot,
 * and shrinking would break the per-request ordering anyway.
 */
export async function applyTopics(
  admin: Admin,
  topics: readonly TopicDeclaration[],
  replication: ReplicationSettings,
): Promise<TopicChanges> {
  const existing = new Set(await admin.listTopics());
  const changes: TopicChanges = { created: [], grown: [], unchanged: [] };
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) {
    await createTopicsWhenReadable(
      admin,
      missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: replication.replicationFactor,
        configEntries: topicConfig(topic, replication),
      })),
    );
    changes.created.push(...missing.map((topic) => topic.name));
  }
  const present = topics.filter((topic) => existing.has(topic.name));
  if (present.length === 0) return changes;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) });
  for (const topic of present) {
    const current = metadata.topics.find((entry) => entry.name === topic.name)?.partitions.length ?? 0;
    if (current < topic.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: topic.name, count: topic.partitions }] });
      changes.grown.push(topic.name);
    } else {
      changes.unchanged.push(topic.name);
    }
  }
  await admin.alterConfigs({
    validateOnly: false,
    // ConfigResourceTypes.TOPIC is 2 in the Kafka protocol.
    resources: present.map((topic) => ({
      type: 2,
      name: topic.name,
      configEntries: topicConfig(topic, replication),
    })),
  });
  return changes;
}
