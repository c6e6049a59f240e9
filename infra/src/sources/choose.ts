import type { Environment } from '@passport/config';
import { ConfigError } from '@passport/errors';

export type ClusterSourceKind = 'external' | 'testcontainers' | 'local';

const KINDS: readonly ClusterSourceKind[] = ['external', 'testcontainers', 'local'];

/**
 * Which cluster tests and programs use, in this order: an explicit environment (KAFKA_BROKERS), then
 * containers when a Docker engine answers, then the local JVM install. PASSPORT_CLUSTER_SOURCE forces
 * one, e.g. `local` on a machine that has Docker but should not use it.
 */
export function chooseClusterSource(env: Environment, dockerAnswers: boolean): ClusterSourceKind {
  const forced = env.PASSPORT_CLUSTER_SOURCE;
  if (forced !== undefined && forced !== '') {
    if (!KINDS.includes(forced as ClusterSourceKind)) {
      throw new ConfigError(
        'PASSPORT_CLUSTER_SOURCE',
        `PASSPORT_CLUSTER_SOURCE must be one of ${KINDS.join(', ')}.`,
      );
    }
    if (forced === 'external' && !env.KAFKA_BROKERS) {
      throw new ConfigError(
        'KAFKA_BROKERS',
        'PASSPORT_CLUSTER_SOURCE=external needs KAFKA_BROKERS (and KAFKA_SASL_*, SCHEMA_REGISTRY_URL).',
      );
    }
    return forced as ClusterSourceKind;
  }
  if (env.KAFKA_BROKERS) return 'external';
  return dockerAnswers ? 'testcontainers' : 'local';
}
