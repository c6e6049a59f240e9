import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateAgencyKeys, type TrustListDocument } from '@passport/trust';
import { prepareLocalTrust } from '@passport/infra/system/trust-list-file';

describe('the local trust list of npm start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-local-trust-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const signingKeysIn = (file: string, agencyId: string) =>
    (JSON.parse(readFileSync(file, 'utf8')) as TrustListDocument).agencies[agencyId]?.signingKeys.length;

  it('names the generations an installation rotated to since its key store was copied', async () => {
    const installedKeysOf = (agencyId: string) => join(dir, 'agencies', agencyId, 'keys');
    const first = await prepareLocalTrust(dir, ['bwi', 'aura'], { installedKeysOf });
    // Before the first start there is no installation: the profile's store is the source.
    expect(first.keysDirOf('bwi')).toBe(join(dir, 'keys', 'bwi'));
    expect(signingKeysIn(first.trustListFile, 'bwi')).toBe(1);

    // The first start copies the store into the installation; the service rotates there.
    cpSync(first.keysDirOf('bwi'), installedKeysOf('bwi'), { recursive: true });
    const installed = await loadOrCreateAgencyKeys(installedKeysOf('bwi'), 'bwi');
    await installed.rotate(new Date(Date.now() + 86_400_000));

    const next = await prepareLocalTrust(dir, ['bwi', 'aura'], { installedKeysOf });
    expect(next.keysDirOf('bwi')).toBe(installedKeysOf('bwi'));
    expect(signingKeysIn(next.trustListFile, 'bwi')).toBe(2);
    expect(signingKeysIn(next.trustListFile, 'aura')).toBe(1);
  });

  it('without installations, keeps to the key stores in its folder', async () => {
    const trust = await prepareLocalTrust(dir, ['bwi']);
    expect(trust.keysDirOf('bwi')).toBe(join(dir, 'keys', 'bwi'));
  });
});
