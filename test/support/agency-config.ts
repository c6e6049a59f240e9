import { join } from 'node:path';
import { ConfigError } from '@passport/errors';
import { loadConfig } from '@passport/agency-service/config';

/** The least an agency service needs to start its configuration; the broker is never contacted. */
export const AGENCY_BASE_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  AGENCY: 'bwi',
  API_KEY_HASHES: 'a'.repeat(64),
  CANDIDATE_REF_SECRET: 'c'.repeat(32),
  SQLITE_FILE: '/var/lib/passport/bwi.db',
  // Only read when the service starts, never by the configuration.
  AGENCY_KEYS_DIR: '/var/lib/passport/keys',
  // Public keys only, of key stores long discarded: enough for the configuration to parse a real list.
  TRUST_LIST_FILE: join(__dirname, '..', 'fixtures', 'trust-list.json'),
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_SASL_USERNAME: 'bwi',
  KAFKA_SASL_PASSWORD: 'not-used-by-configuration-tests',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
});

/** The ConfigError the base environment plus `env` stops the service with; fails if it starts. */
export function agencyConfigRefusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...AGENCY_BASE_ENVIRONMENT, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

/** The ConfigError `action` throws; fails when it throws none or another error. */
export function configRefusal(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
