import { randomUUID } from 'node:crypto';
import {
  connectionFromEnvironment,
  type ConnectionSettings,
  type SaslConnectionSettings,
} from '@passport/config';
import { principalConnection } from '@passport/infra/sources/running-cluster';

/** The admin connection the global setup put in the environment. */
export function adminConnection(): ConnectionSettings {
  return connectionFromEnvironment(process.env);
}

/** The same cluster as an agency's principal, with its password from PASSPORT_PRINCIPALS_FILE. */
export function agencyConnection(agencyId: string): SaslConnectionSettings {
  return principalConnection(adminConnection(), process.env.PASSPORT_PRINCIPALS_FILE, agencyId);
}

/** A name no other test uses, so tests never share topics, groups or subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
