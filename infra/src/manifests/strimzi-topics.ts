import type { TopicDeclaration } from '../topology/topics';
import { clusterMember, PLATFORM_REPLICATION, type StrimziResource } from './strimzi-cluster';

/** Kubernetes names a resource with a DNS subdomain; the exchange's topic names already are one. */
function isDnsSubdomain(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name
    .split('.')
    .every((label) => /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-'));
}

/** The same configuration applyTopics gives the local cluster, at the platform's replication. */
function topicConfig(topic: TopicDeclaration): Record<string, string | number> {
  return {
    'retention.ms': topic.retentionMs,
    'cleanup.policy': topic.cleanupPolicy,
    'min.insync.replicas': PLATFORM_REPLICATION.minInsyncReplicas,
    ...(topic.maxMessageBytes === undefined ? {} : { 'max.message.bytes': topic.maxMessageBytes }),
  };
}

export function kafkaTopic(topic: TopicDeclaration): StrimziResource {
  if (!isDnsSubdomain(topic.name)) {
    throw new Error(`topic ${topic.name} is no Kubernetes resource name; give its KafkaTopic a topicName`);
  }
  return clusterMember('KafkaTopic', topic.name, {
    partitions: topic.partitions,
    replicas: PLATFORM_REPLICATION.replicationFactor,
    config: topicConfig(topic),
  });
}
