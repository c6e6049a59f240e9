import type { ConnectionSettings } from '@passport/config';
import { bootstrapServers, registryUrl, type InfraProfile } from './profile';
import { ADMIN_PRINCIPAL, type ClusterSecrets } from './cluster-secrets';

/** How to reach a local profile as `principal` (the admin unless told otherwise). */
export function localConnection(
  profile: InfraProfile,
  secrets: ClusterSecrets,
  principal = ADMIN_PRINCIPAL,
): ConnectionSettings {
  const password = secrets.principals[principal];
  if (!password)
    throw new Error(`No local credentials for principal ${principal}; is it in the agency list?`);
  return Object.freeze({
    brokers: Object.freeze(bootstrapServers(profile)),
    sasl: Object.freeze({ mechanism: 'scram-sha-512' as const, username: principal, password }),
    ssl: false,
    registry: Object.freeze({ url: registryUrl(profile) }),
  });
}
