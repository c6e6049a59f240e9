import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@passport/errors';
import { TrustList } from '@passport/trust';
import { loadConfig } from '@passport/agency-service/config';
import { loadAgencyTrust } from '@passport/agency-service/trust';
import { AGENCY_BASE_ENVIRONMENT } from '../../../support/agency-config';
import { testTrust } from '../../../support/test-trust';

const base = AGENCY_BASE_ENVIRONMENT;
const dir = mkdtempSync(join(tmpdir(), 'agency-trust-'));

function refusal(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

function fileWith(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('agency keys and trust list configuration', () => {
  it('reads AGENCY_KEYS_DIR and a valid TRUST_LIST_FILE', () => {
    const config = loadConfig(base);
    expect(config.keysDir).toBe('/var/lib/passport/keys');
    expect(config.trustList.agencies().sort()).toEqual(['accio', 'aura', 'bwi', 'promos']);
  });

  it.each(['AGENCY_KEYS_DIR', 'TRUST_LIST_FILE'])('requires %s, naming it', (variable) => {
    const error = refusal({ [variable]: undefined });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it.each([
    ['a missing file', join(dir, 'absent.json'), /cannot be read/],
    ['text that is not JSON', fileWith('text.json', 'not json'), /is not JSON/],
    [
      'a list with a key id that is not its public key',
      fileWith(
        'wrong.json',
        JSON.stringify({
          version: 1,
          agencies: {
            bwi: {
              signingKeys: [
                {
                  keyId: 'A'.repeat(22),
                  publicKey: 'c5rX1SkuZYv4NALmuoSq6PIzKfvxSTdyM0ffsYHTpkk',
                  notBefore: '2026-01-01T00:00:00.000Z',
                },
              ],
              encryptionKeys: [],
            },
          },
        }),
      ),
      /agencies\.bwi\.signingKeys\.0\.keyId/,
    ],
  ])('refuses %s as TRUST_LIST_FILE, naming the variable and the fault', (_case, file, fault) => {
    const error = refusal({ TRUST_LIST_FILE: file });
    expect(error.variable).toBe('TRUST_LIST_FILE');
    expect(error.message).toMatch(fault);
  });
});

describe('loadAgencyTrust', () => {
  it('creates the keys at first start and accepts a list naming the current signing key', async () => {
    const trust = await testTrust();
    const keysDir = join(mkdtempSync(join(tmpdir(), 'agency-keys-')), 'bwi');
    const first = await loadAgencyTrust('bwi', keysDir, trust.trustList).catch((error: unknown) => error);
    // A fresh key store holds a key the list cannot know yet: the service refuses, saying what to do.
    expect(first).toBeInstanceOf(ConfigError);
    expect((first as ConfigError).variable).toBe('TRUST_LIST_FILE');
    expect((first as ConfigError).message).toMatch(
      /does not list bwi's current signing key .* Add it under agencies\.bwi\.signingKeys/,
    );

    const ours = await loadAgencyTrust('bwi', trust.keysDirOf('bwi'), trust.trustList);
    expect(ours.keys.current().signingKeyId).toBe(trust.keys.bwi?.current().signingKeyId);
  });

  it('refuses a list where our signing key is retired', async () => {
    const trust = await testTrust();
    const document = trust.trustList.toDocument();
    const own = document.agencies.bwi?.signingKeys[0];
    if (own === undefined) throw new Error('no bwi key in the test trust list');
    own.retiredAt = new Date(Date.now() - 1000).toISOString();
    const error = await loadAgencyTrust(
      'bwi',
      trust.keysDirOf('bwi'),
      TrustList.fromDocument(document),
    ).catch((caught: unknown) => caught);
    expect((error as ConfigError).variable).toBe('TRUST_LIST_FILE');
    expect((error as ConfigError).message).toMatch(/\(retired\)/);
  });

  it('names AGENCY_KEYS_DIR when the key store is open to others', async () => {
    const trust = await testTrust();
    const keysDir = join(mkdtempSync(join(tmpdir(), 'agency-keys-open-')), 'bwi');
    mkdirSync(keysDir);
    chmodSync(keysDir, 0o755);
    const error = await loadAgencyTrust('bwi', keysDir, trust.trustList).catch((caught: unknown) => caught);
    expect((error as ConfigError).variable).toBe('AGENCY_KEYS_DIR');
    expect((error as ConfigError).message).toMatch(/PASSPORT_KEY_STORE_INSECURE/);
  });
});
