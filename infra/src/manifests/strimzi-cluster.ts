import { ADMIN_PRINCIPAL } from '../cluster-secrets';
import type { ReplicationSettings } from '../topology/apply-topics';

/** The Strimzi release whose CRD schemas are vendored under deploy/strimzi/crd-schemas. */
export const STRIMZI_VERSION = '1.2.0';
export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1';
/**
 * The newest Kafka that Strimzi 1.2.0 supports. The local cluster runs a newer Kafka from Maven
 * Central; pinning the platform's version keeps an operator upgrade from silently moving the broker.
 */
export const STRIMZI_KAFKA_VERSION = '4.3.1';

export const CLUSTER_NAME = 'passport';
/** Every Strimzi resource except the Kafka itself says which cluster it belongs to by this label. */
export const CLUSTER_LABEL = 'strimzi.io/cluster';

const NODE_COUNT = 3;

/** Three nodes: every partition on all three, and a write survives the loss of any one of them. */
export const PLATFORM_REPLICATION: ReplicationSettings = Object.freeze({
  replicationFactor: NODE_COUNT,
  minInsyncReplicas: NODE_COUNT - 1,
});

export interface StrimziResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

export function clusterMember(kind: string, name: string, spec: Record<string, unknown>): StrimziResource {
  return {
    apiVersion: STRIMZI_API_VERSION,
    kind,
    metadata: { name, labels: { [CLUSTER_LABEL]: CLUSTER_NAME } },
    spec,
  };
}

/**
 * The agencies reach the cluster over the internet, so both client listeners are external and
 * encrypted. SCRAM is the default, as locally; the mTLS listener is for agencies whose KafkaUser uses
 * `authentication: tls` (Strimzi then names the principal after the certificate's subject).
 */
function listeners(withMtls: boolean) {
  const scram = {
    name: 'scram',
    port: 9094,
    type: 'loadbalancer',
    tls: true,
    authentication: { type: 'scram-sha-512' },
  };
  const mtls = { name: 'mtls', port: 9095, type: 'loadbalancer', tls: true, authentication: { type: 'tls' } };
  return withMtls ? [scram, mtls] : [scram];
}

export function kafkaCluster(options: { mtlsListener: boolean }): StrimziResource {
  return {
    apiVersion: STRIMZI_API_VERSION,
    kind: 'Kafka',
    metadata: { name: CLUSTER_NAME },
    spec: {
      kafka: {
        version: STRIMZI_KAFKA_VERSION,
        listeners: listeners(options.mtlsListener),
        // Nothing is allowed without an ACL; the admin principal is the only one above them.
        authorization: { type: 'simple', superUsers: [ADMIN_PRINCIPAL] },
        config: {
          'auto.create.topics.enable': false,
          'default.replication.factor': PLATFORM_REPLICATION.replicationFactor,
          'min.insync.replicas': PLATFORM_REPLICATION.minInsyncReplicas,
          'offsets.topic.replication.factor': PLATFORM_REPLICATION.replicationFactor,
          'transaction.state.log.replication.factor': PLATFORM_REPLICATION.replicationFactor,
          'transaction.state.log.min.isr': PLATFORM_REPLICATION.minInsyncReplicas,
        },
      },
      // The operators that turn the KafkaTopic and KafkaUser resources into topics, users and ACLs.
      entityOperator: { topicOperator: {}, userOperator: {} },
    },
  };
}

/** KRaft: one pool of nodes that are brokers and controllers at once, like the local three-node cluster. */
export function nodePool(): StrimziResource {
  return clusterMember('KafkaNodePool', 'dual-role', {
    replicas: NODE_COUNT,
    roles: ['controller', 'broker'],
    storage: {
      type: 'jbod',
      volumes: [
        { id: 0, type: 'persistent-claim', size: '100Gi', deleteClaim: false, kraftMetadata: 'shared' },
      ],
    },
  });
}
