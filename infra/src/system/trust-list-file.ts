import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadOrCreateAgencyKeys,
  TrustList,
  trustListEntries,
  type AgencyKeys,
  type TrustListDocument,
} from '@passport/trust';

/** Every agency's key store on this machine, and the trust list file that names all their public keys. */
export interface LocalTrust {
  keysDirOf(agencyId: string): string;
  trustListFile: string;
  trustList: TrustList;
  /** The agencies' own keys, for whoever must sign as one of them (tests of a hostile partner). */
  keys: Readonly<Record<string, AgencyKeys>>;
}

/**
 * For a system whose agencies all run on one machine (`npm start`, tests): creates (or reuses) each
 * agency's key store under `<dir>/keys/<agency>` and writes `<dir>/trust-list.json` with every key
 * generation of every agency. Real agencies exchange only the public entries, through their operators.
 *
 * `installedKeysOf` names the key store of an agency's installation: once the installation has one (it
 * is copied from `<dir>/keys/<agency>` at the first start, then the service rotates its keys there), that
 * store is the agency's, and the trust list is built from it, so it names generations rotated since.
 */
export async function prepareLocalTrust(
  dir: string,
  agencyIds: readonly string[],
  options: { installedKeysOf?: (agencyId: string) => string } = {},
): Promise<LocalTrust> {
  const keysDirOf = (agencyId: string) => {
    const installed = options.installedKeysOf?.(agencyId);
    return installed !== undefined && existsSync(installed) ? installed : join(dir, 'keys', agencyId);
  };
  await mkdir(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const keys: Record<string, AgencyKeys> = {};
  for (const agencyId of agencyIds)
    keys[agencyId] = await loadOrCreateAgencyKeys(keysDirOf(agencyId), agencyId);
  const document: TrustListDocument = { version: 1, agencies: {} };
  for (const [agencyId, agencyKeys] of Object.entries(keys)) {
    const entries = agencyKeys.generations().map(trustListEntries);
    document.agencies[agencyId] = {
      signingKeys: entries.map((entry) => entry.signing),
      encryptionKeys: entries.map((entry) => entry.encryption),
    };
  }
  const trustList = TrustList.fromDocument(document);
  const trustListFile = join(dir, 'trust-list.json');
  // Written aside and renamed, so a service starting meanwhile never reads half a list.
  await writeFile(`${trustListFile}.tmp`, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o644 });
  await rename(`${trustListFile}.tmp`, trustListFile);
  return { keysDirOf, trustListFile, trustList, keys };
}
