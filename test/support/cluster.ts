import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connectionFromEnvironment, type ConnectionSettings } from '@passport/config';
import { asPrincipal } from '@passport/bus';

/** The admin connection the global setup put in the environment. */
export function adminConnection(): ConnectionSettings {
  return connectionFromEnvironment(process.env);
}

/** The same cluster as an agency's principal, with its password from PASSPORT_PRINCIPALS_FILE. */
export function agencyConnection(agencyId: string): ConnectionSettings {
  const file = process.env.PASSPORT_PRINCIPALS_FILE;
  if (!file)
    throw new Error("PASSPORT_PRINCIPALS_FILE is not set: agency tests need the agencies' SCRAM passwords");
  const { principals } = JSON.parse(readFileSync(file, 'utf8')) as { principals: Record<string, string> };
  const password = principals[agencyId];
  if (!password) throw new Error(`${file} has no password for ${agencyId}`);
  return asPrincipal(adminConnection(), agencyId, password);
}

/** A name no other test uses, so tests never share topics, groups or subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
