import { CONNECTION_VARIABLES, type ConfigFileKeys } from '@passport/config';

/**
 * What an agency's configuration file may hold: the environment variables the service reads, under the
 * same names. Kept as lists (not derived from the zod schemas) so that a file written for a newer or
 * older service fails on a misspelt key, naming it, instead of being silently ignored.
 */

/** Values naming a file or directory: a relative one is taken from the configuration file's folder. */
export const PATH_KEYS: ReadonlySet<string> = new Set([
  'SQLITE_FILE',
  'AGENCY_KEYS_DIR',
  'TRUST_LIST_FILE',
  'PASSPORT_AGENCIES_FILE',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'SCHEMA_REGISTRY_CA_FILE',
]);

/**
 * Values that let whoever reads them act as this agency (or read its data): a file holding one must be
 * readable by its owner alone. DATABASE_URL is here because a postgres URL usually carries a password.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
  'CANDIDATE_REF_SECRET',
  'WEBHOOK_SECRET',
  'DATABASE_URL',
]);

/** Files that decide whom the service trusts: the CAs, the partners' public keys, the agency list. */
export const TRUSTED_FILE_KEYS: ReadonlySet<string> = new Set([
  'KAFKA_SSL_CA_FILE',
  'SCHEMA_REGISTRY_CA_FILE',
  'TRUST_LIST_FILE',
  'PASSPORT_AGENCIES_FILE',
]);

/** What an agency's configuration file may set, given the service's own variable names. */
export function agencyConfigFileKeys(serviceKeys: Iterable<string>): ConfigFileKeys {
  return {
    known: new Set([...serviceKeys, ...CONNECTION_VARIABLES, 'PASSPORT_AGENCIES_FILE']),
    paths: PATH_KEYS,
    secrets: SECRET_KEYS,
    trustedFiles: TRUSTED_FILE_KEYS,
    privateFiles: new Set(['KAFKA_SSL_KEY_FILE']),
  };
}
