import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

/** The file an installation's process is started with (`passport-agency --config config.json`). */
export const INSTALLATION_CONFIG_FILE = 'config.json';

/** Settings naming a file another party hands the agency: copied in, so the installation stands alone. */
const HANDED_OVER_FILES: Readonly<Record<string, string>> = {
  TRUST_LIST_FILE: 'trust-list.json',
  PASSPORT_AGENCIES_FILE: 'agencies.json',
  KAFKA_SSL_CA_FILE: 'kafka-ca.pem',
  SCHEMA_REGISTRY_CA_FILE: 'registry-ca.pem',
  KAFKA_SSL_CERT_FILE: 'kafka-client.pem',
  KAFKA_SSL_KEY_FILE: 'kafka-client.key',
};

/**
 * Lays out one agency's installation as an operator would: a folder holding its own configuration file,
 * its key store, its database and copies of what others gave it (the public trust list, the CA); nothing
 * of another agency. Paths in the file are relative, so the folder can be moved or backed up whole.
 * Returns the configuration file's path.
 */
export function writeAgencyInstallation(
  home: string,
  settings: Readonly<Record<string, string>>,
  keysSource: string,
): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const values: Record<string, string> = { ...settings, AGENCY_KEYS_DIR: 'keys' };
  // The key store is the installation's own from its first start on: a later start keeps what it holds
  // (the service may have rotated its keys), rather than copying the original over it.
  const keysDir = join(home, 'keys');
  if (!existsSync(keysDir) && existsSync(keysSource)) cpSync(keysSource, keysDir, { recursive: true });
  for (const [key, name] of Object.entries(HANDED_OVER_FILES)) {
    const source = settings[key];
    if (source === undefined) continue;
    // Received files are refreshed at each start, as an operator would roll out a new trust list.
    copyFileSync(source, join(home, name));
    chmodSync(join(home, name), key === 'KAFKA_SSL_KEY_FILE' ? 0o600 : 0o644);
    values[key] = name;
  }
  const database = values.SQLITE_FILE && relative(home, values.SQLITE_FILE);
  if (database && !database.startsWith('..') && !isAbsolute(database)) values.SQLITE_FILE = database;
  const file = join(home, INSTALLATION_CONFIG_FILE);
  writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
