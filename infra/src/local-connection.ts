import type { ConnectionSettings } from '@passport/config';
import { bootstrapServers, registryUrl, type InfraProfile } from './profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from './cluster-secrets';
import { caCertificateFile } from './tls/local-ca';

/**
 * How to reach a local profile as `principal` (the admin unless told otherwise): its Kafka password, and
 * its own client at the registry's identity provider, so an agency's connection can only read schemas.
 */
export function localConnection(
  profile: InfraProfile,
  secrets: ClusterSecrets,
  principal = ADMIN_PRINCIPAL,
): ConnectionSettings {
  const password = secrets.principals[principal];
  const registrySecret = secrets.registryClients?.[principal];
  if (!password || !registrySecret)
    throw new Error(
      `No local credentials for principal ${principal}; is it in the agency list, and has infra:up run since?`,
    );
  return Object.freeze({
    brokers: Object.freeze(bootstrapServers(profile)),
    sasl: Object.freeze({ mechanism: 'scram-sha-512' as const, username: principal, password }),
    ssl: false,
    registry: Object.freeze({
      url: registryUrl(profile),
      username: principal,
      password: registrySecret,
      caFile: caCertificateFile(profile),
    }),
  });
}
