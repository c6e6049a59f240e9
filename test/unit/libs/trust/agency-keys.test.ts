import { chmod, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOrCreateAgencyKeys, openSealed, sealFor } from '@passport/trust';
import { manualClock, T0, temporaryFolder } from './trust-fixtures';

const HOUR = 3_600_000;
let folder: Awaited<ReturnType<typeof temporaryFolder>>;
beforeEach(async () => (folder = await temporaryFolder()));
afterEach(() => folder.cleanup());

const keyDir = () => path.join(folder.dir, 'keys');
const context = { eventId: 'e1', eventType: 'IntroductionRequested', requestId: 'r1', field: 'firmContact' };

describe('loadOrCreateAgencyKeys', () => {
  it('creates owner-only storage on first start and loads the same keys at the next', async () => {
    const first = await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    expect((await stat(keyDir())).mode & 0o777).toBe(0o700);
    const files = await readdir(keyDir());
    expect(files).toEqual(['generation-0001.json']);
    expect((await stat(path.join(keyDir(), files[0]!))).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    expect(second.generations()).toEqual(first.generations());
    expect(first.current().signingKeyId).toMatch(/^[\w-]{22}$/);
    expect(first.current().signingKeyId).not.toBe(first.current().encryptionKeyId);
  });

  it('exposes no private key material in its public facts', async () => {
    const keys = await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    const file = await readFile(path.join(keyDir(), 'generation-0001.json'), 'utf8');
    const privateParts = Object.values(JSON.parse(file) as Record<string, unknown>).filter(
      (value): value is string => typeof value === 'string' && value.length > 40,
    );
    const published = JSON.stringify({ generations: keys.generations(), keys });
    expect(privateParts).toHaveLength(2);
    for (const part of privateParts) expect(published).not.toContain(part);
  });

  it('refuses a key directory others can read', async () => {
    await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    await chmod(keyDir(), 0o750);
    await expect(loadOrCreateAgencyKeys(keyDir(), 'bwi')).rejects.toMatchObject({
      code: 'PASSPORT_KEY_STORE_INSECURE',
      message: expect.stringContaining('chmod 700'),
    });
  });

  it.each(['640', '604', '644'])('refuses a key file with mode %s', async (mode) => {
    await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    await chmod(path.join(keyDir(), 'generation-0001.json'), parseInt(mode, 8));
    await expect(loadOrCreateAgencyKeys(keyDir(), 'bwi')).rejects.toMatchObject({
      code: 'PASSPORT_KEY_STORE_INSECURE',
      message: expect.stringContaining('chmod 600'),
    });
  });

  it('refuses a key file that is a symlink', async () => {
    await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    const elsewhere = path.join(folder.dir, 'elsewhere.json');
    await writeFile(elsewhere, await readFile(path.join(keyDir(), 'generation-0001.json')), { mode: 0o600 });
    await symlink(elsewhere, path.join(keyDir(), 'generation-0002.json'));
    await expect(loadOrCreateAgencyKeys(keyDir(), 'bwi')).rejects.toMatchObject({
      code: 'PASSPORT_KEY_STORE_INSECURE',
    });
  });

  it.each([
    ['not JSON', () => 'garbage', '(root)'],
    [
      'a wrong field',
      (doc: Record<string, unknown>) => JSON.stringify({ ...doc, generation: 'one' }),
      'generation',
    ],
    ['an unknown field', (doc: Record<string, unknown>) => JSON.stringify({ ...doc, extra: 1 }), ''],
    [
      'another agency',
      (doc: Record<string, unknown>) => JSON.stringify({ ...doc, agencyId: 'aura' }),
      'agencyId',
    ],
    [
      'a swapped key',
      (doc: Record<string, unknown>) => JSON.stringify({ ...doc, signingKey: doc.encryptionKey }),
      'signingKey',
    ],
  ])('refuses a corrupt key file: %s', async (_name, corrupt, field) => {
    await loadOrCreateAgencyKeys(keyDir(), 'bwi');
    const file = path.join(keyDir(), 'generation-0001.json');
    const document = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, corrupt(document));
    const refusal = loadOrCreateAgencyKeys(keyDir(), 'bwi');
    await expect(refusal).rejects.toMatchObject({ code: 'PASSPORT_KEY_STORE_CORRUPT' });
    await expect(refusal).rejects.toThrow(field === '(root)' ? 'not JSON' : field);
  });

  it('refuses an agency id that is not one', async () => {
    await expect(loadOrCreateAgencyKeys(keyDir(), '../bwi')).rejects.toMatchObject({
      code: 'PASSPORT_CONFIG_INVALID',
    });
  });
});

describe('rotation of an agency key ring', () => {
  it('signs with the next generation only from its activeFrom, and still opens what was sealed before', async () => {
    const clock = manualClock();
    const keys = await loadOrCreateAgencyKeys(keyDir(), 'bwi', { now: clock.now });
    const first = keys.current();
    const sealedBefore = await sealFor(
      { keyId: first.encryptionKeyId, publicKey: first.encryptionPublicKey },
      'Erika Mustermann',
      context,
    );
    await expect(keys.rotate(T0)).rejects.toMatchObject({ code: 'PASSPORT_CONFIG_INVALID' });
    const next = await keys.rotate(new Date(T0.getTime() + HOUR));
    expect(next.generation).toBe(2);
    expect(keys.current().generation).toBe(1);
    expect(keys.sign(Buffer.from('x')).keyId).toBe(first.signingKeyId);
    clock.set(new Date(T0.getTime() + HOUR));
    expect(keys.sign(Buffer.from('x')).keyId).toBe(next.signingKeyId);

    const reloaded = await loadOrCreateAgencyKeys(keyDir(), 'bwi', { now: clock.now });
    expect(reloaded.current().generation).toBe(2);
    expect((await openSealed(sealedBefore, context, reloaded)).toString()).toBe('Erika Mustermann');

    await expect(reloaded.forgetGeneration(2)).rejects.toMatchObject({ code: 'PASSPORT_CONFIG_INVALID' });
    await reloaded.forgetGeneration(1);
    expect(reloaded.generations().map((generation) => generation.generation)).toEqual([2]);
    await expect(openSealed(sealedBefore, context, reloaded)).rejects.toMatchObject({
      code: 'PASSPORT_SEAL_KEY_UNAVAILABLE',
    });
    expect(await readdir(keyDir())).toEqual(['generation-0002.json']);
  });
});
