import { readTrustListFile as readTrustListFileWithHelp, type TrustList } from '@passport/trust';

const HELP =
  "set TRUST_LIST_FILE to the JSON trust list naming every agency's public keys (npm start writes " +
  '.passport/<profile>/trust-list.json)';

/**
 * The trust list the console verifies records against. Read when a command first needs it, so
 * commands that verify nothing run without one; anything wrong names the variable.
 */
export function readTrustListFile(file: string): TrustList {
  return readTrustListFileWithHelp(file, HELP);
}
