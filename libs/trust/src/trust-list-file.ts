import { readFileSync } from 'node:fs';
import { ConfigError, isPassportError } from '@passport/errors';
import { MAX_TRUST_LIST_BYTES, TrustList } from './trust-list';

/**
 * Reads and validates the trust list named by TRUST_LIST_FILE, size first. Anything wrong is a
 * ConfigError naming the variable, the file and what is wrong, followed by the caller's `help` (what
 * the file should be, for a service's operator or a console user).
 */
export function readTrustListFile(file: string, help: string): TrustList {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_TRUST_LIST_BYTES) throw new Error(`larger than ${MAX_TRUST_LIST_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    throw new ConfigError(
      'TRUST_LIST_FILE',
      `Environment variable TRUST_LIST_FILE is invalid: ${file} cannot be read (${(error as Error).message}); ${help}.`,
      { cause: error },
    );
  }
  try {
    return TrustList.fromText(text);
  } catch (error) {
    if (!isPassportError(error)) throw error;
    throw new ConfigError(
      'TRUST_LIST_FILE',
      `Environment variable TRUST_LIST_FILE is invalid: ${file}: ${error.message}; ${help}.`,
      { cause: error },
    );
  }
}
