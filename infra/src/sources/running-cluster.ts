import { readFileSync } from 'node:fs';
import { asPrincipal } from '@passport/bus';
import type { ConnectionSettings, SaslConnectionSettings } from '@passport/config';
import type { ClusterSourceKind } from './choose';

/** A cluster that tests or programs can use, however it came to be. */
export interface RunningCluster {
  readonly kind: ClusterSourceKind;
  /** The admin principal's connection. */
  readonly connection: ConnectionSettings;
  /** JSON file `{ "principals": { "<name>": "<password>" } }` with the agencies' SCRAM passwords. */
  readonly principalsFile: string | undefined;
  /** Stops what this run started; a cluster that was already there is left running. */
  stop(): Promise<void>;
}

/**
 * The cluster as one agency's principal, with the password from a principals file (see
 * `RunningCluster.principalsFile`). Errors name the file and the agency when either is missing.
 */
export function principalConnection(
  admin: ConnectionSettings,
  principalsFile: string | undefined,
  agencyId: string,
): SaslConnectionSettings {
  if (!principalsFile)
    throw new Error(
      "no principals file (PASSPORT_PRINCIPALS_FILE): agency connections need the agencies' SCRAM passwords",
    );
  const { principals, registryClients } = JSON.parse(readFileSync(principalsFile, 'utf8')) as {
    principals: Record<string, string>;
    registryClients?: Record<string, string>;
  };
  const password = principals[agencyId];
  if (!password) throw new Error(`${principalsFile} has no password for ${agencyId}`);
  const kafka = asPrincipal(admin, agencyId, password);
  // The agency reaches the registry as its own (read-only) client, never with the admin's secret.
  const registrySecret = registryClients?.[agencyId];
  const { username: _admin, password: _adminSecret, ...registry } = admin.registry;
  return Object.freeze({
    ...kafka,
    registry: Object.freeze(
      registrySecret ? { ...registry, username: agencyId, password: registrySecret } : registry,
    ),
  });
}
