import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionToEnvironment, type ConnectionSettings } from '@passport/config';
import type { InfraProfile } from '../profile';

/** Where `infra:up` leaves the console's configuration for a profile (`npm run passport` reads it). */
export function consoleConfigFile(profile: InfraProfile): string {
  return join(profile.homeDir, 'console.json');
}

/**
 * The console has no notion of a local cluster: it reads the same kind of file an operator would write
 * for a real one. It holds the admin password, so it is owner-only, in the profile's own folder.
 */
export function writeConsoleConfigFile(profile: InfraProfile, admin: ConnectionSettings): string {
  const file = consoleConfigFile(profile);
  mkdirSync(profile.homeDir, { recursive: true, mode: 0o700 });
  const values = {
    ...connectionToEnvironment(admin),
    TRUST_LIST_FILE: join(profile.homeDir, 'trust-list.json'),
    PASSPORT_REDRIVE_LOG: join(profile.cacheDir, 'redrive-log.ndjson'),
  };
  writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
