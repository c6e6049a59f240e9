import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPassportError } from '@passport/errors';
import { ensureSecrets, readPrincipalPasswords } from '@passport/infra/cluster-secrets';

describe("principals' passwords for the tools", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-principals-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };

  it("reads the small file an external cluster's operator hands over", () => {
    const handedOver = file('external.json', JSON.stringify({ principals: { bwi: 'bwi-password-1234567' } }));
    expect(readPrincipalPasswords(handedOver)).toEqual({ bwi: 'bwi-password-1234567' });
  });

  it('reads the local secrets file too', () => {
    const local = join(dir, 'secrets.json');
    const { secrets } = ensureSecrets(local, ['admin', 'bwi']);
    expect(readPrincipalPasswords(local)).toEqual(secrets.principals);
  });

  it.each([
    ['not JSON', '{"principals":', /Cannot read principals file/],
    ['no principals', '{"bwi": "x"}', /malformed at principals/],
    ['an empty password', '{"principals": {"bwi": ""}}', /malformed at principals\.bwi/],
  ])('refuses %s, naming PASSPORT_PRINCIPALS_FILE', (name, text, message) => {
    let caught: unknown;
    try {
      readPrincipalPasswords(file(`${name}.json`, text));
    } catch (error) {
      caught = error;
    }
    expect(isPassportError(caught) && caught.details).toMatchObject({ variable: 'PASSPORT_PRINCIPALS_FILE' });
    expect(String((caught as Error).message)).toMatch(message);
  });
});
