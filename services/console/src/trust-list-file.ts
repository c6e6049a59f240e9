import { readFileSync } from 'node:fs';
import { ConfigError, isPassportError } from '@passport/errors';
import { MAX_TRUST_LIST_BYTES, TrustList } from '@passport/trust';

const HELP =
  "set TRUST_LIST_FILE to the JSON trust list naming every agency's public keys (npm start writes " +
  '.passport/<profile>/trust-list.json)';

/**
 * The trust list the console verifies records against. Read when a command first needs it, so
 * commands that verify nothing run without one; anything wrong names the variable.
 */
export function readTrustListFile(file: string): TrustList {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_TRUST_LIST_BYTES) throw new Error(`larger than ${MAX_TRUST_LIST_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    throw new ConfigError(
      'TRUST_LIST_FILE',
      `Environment variable TRUST_LIST_FILE is invalid: ${file} cannot be read (${(error as Error).message}); ${HELP}.`,
      { cause: error },
    );
  }
  try {
    return TrustList.fromText(text);
  } catch (error) {
    if (!isPassportError(error)) throw error;
    throw new ConfigError(
      'TRUST_LIST_FILE',
      `Environment variable TRUST_LIST_FILE is invalid: ${file}: ${error.message}; ${HELP}.`,
      { cause: error },
    );
  }
}
