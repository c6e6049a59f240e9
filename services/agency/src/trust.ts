import { ConfigError, isPassportError } from '@passport/errors';
import {
  loadOrCreateAgencyKeys,
  readTrustListFile as readTrustListFileWithHelp,
  type AgencyKeys,
  type TrustList,
} from '@passport/trust';

/** What a service signs with and verifies against: its own keys and the partners' public keys. */
export interface AgencyTrust {
  keys: AgencyKeys;
  trustList: TrustList;
}

const TRUST_LIST_HELP =
  "it must be the JSON trust list (version 1) naming every agency's public keys, as the operators distribute it";

/** Reads and validates TRUST_LIST_FILE at start; anything wrong stops the service naming the variable. */
export function readTrustListFile(file: string): TrustList {
  return readTrustListFileWithHelp(file, TRUST_LIST_HELP);
}

/**
 * The agency's keys from AGENCY_KEYS_DIR (its first generation is created on first start), checked
 * against the trust list: a service whose own signing key partners do not know would publish only
 * records every partner parks, so it refuses to start and says what the operator must do.
 */
export async function loadAgencyTrust(
  agencyId: string,
  keysDir: string,
  trustList: TrustList,
  now: Date = new Date(),
): Promise<AgencyTrust> {
  const keys = await loadAgencyKeys(agencyId, keysDir);
  checkOwnKeyTrusted(keys, keysDir, trustList, now);
  return { keys, trustList };
}

/** The agency's keys from AGENCY_KEYS_DIR, the first generation created on first start. */
export async function loadAgencyKeys(agencyId: string, keysDir: string): Promise<AgencyKeys> {
  try {
    return await loadOrCreateAgencyKeys(keysDir, agencyId);
  } catch (error) {
    if (!isPassportError(error)) throw error;
    throw new ConfigError(
      'AGENCY_KEYS_DIR',
      `Environment variable AGENCY_KEYS_DIR is invalid: ${error.message} [${error.code}]`,
      { cause: error },
    );
  }
}

/**
 * Refuses to go on when the trust list (the file, plus the rotations learnt on the exchange) does not
 * list the agency's signing key of now as valid: partners would park everything it publishes.
 */
export function checkOwnKeyTrusted(
  keys: AgencyKeys,
  keysDir: string,
  trustList: TrustList,
  now: Date = new Date(),
): void {
  const agencyId = keys.agencyId;
  const { signingKeyId, signingPublicKey } = keys.current();
  const lookup = trustList.signingKey(agencyId, signingKeyId, now);
  if (lookup.status !== 'valid')
    throw new ConfigError(
      'TRUST_LIST_FILE',
      `Environment variable TRUST_LIST_FILE is invalid: it does not list ${agencyId}'s current signing key ` +
        `${signingKeyId} as valid now (${lookup.status}). Add it under agencies.${agencyId}.signingKeys ` +
        `(publicKey ${signingPublicKey}, from ${keysDir}), give the updated list to every partner, and start again.`,
    );
}
