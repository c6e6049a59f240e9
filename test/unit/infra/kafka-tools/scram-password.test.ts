import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPassportError } from '@passport/errors';
import { parseScramPasswordArgs, readNewPassword } from '@passport/infra/kafka-tools/scram-password';

describe('scram-password arguments', () => {
  it('takes the principal, the password file and the cluster', () => {
    expect(parseScramPasswordArgs(['--user', 'bwi', '--password-file', '/tmp/p', '--test'])).toEqual({
      user: 'bwi',
      passwordFile: '/tmp/p',
      profile: 'test',
    });
  });

  it('refuses a password given on the command line, pointing to the file instead', () => {
    const parsed = parseScramPasswordArgs(['--user', 'bwi', '--add-config', 'SCRAM-SHA-512=[password=x]']);
    expect(parsed).toEqual({ error: expect.stringContaining('Never put a password on the command line') });
  });

  it.each([
    [['--password-file', '/tmp/p'], '--user is required'],
    [['--user', 'bwi'], '--password-file is required'],
    [['--user', '--password-file', '/tmp/p'], '--user needs a value'],
    [['--user', 'bwi,admin', '--password-file', '/tmp/p'], '--user must be a principal name'],
    [['--user', 'a'.repeat(65), '--password-file', '/tmp/p'], '--user must be a principal name'],
  ])('refuses %j: %s', (argv, message) => {
    expect(parseScramPasswordArgs(argv)).toEqual({ error: expect.stringContaining(message) });
  });
});

describe('the new password file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passport-scram-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function passwordFile(name: string, text: string, mode = 0o600): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    chmodSync(file, mode);
    return file;
  }

  function refusal(file: string): string {
    try {
      readNewPassword(file);
    } catch (error) {
      if (!isPassportError(error)) throw error;
      expect(error.details).toMatchObject({ variable: '--password-file' });
      return error.message;
    }
    throw new Error(`${file} was accepted`);
  }

  it('reads one line, without its newline', () => {
    expect(readNewPassword(passwordFile('ok', 'Qx7-tr.Lm~9+aB/c_dE2\n'))).toBe('Qx7-tr.Lm~9+aB/c_dE2');
  });

  it('refuses a file others can read, naming its mode', () => {
    expect(refusal(passwordFile('shared', 'Qx7trLm9aBcdE2fGh\n', 0o644))).toMatch(/mode 644.*chmod 600/);
  });

  it('refuses a big file before reading it', () => {
    expect(refusal(passwordFile('big', 'a'.repeat(200_000)))).toMatch(/200000 bytes/);
  });

  it.each([
    ['short', 'tooShort1', /9 characters; it needs 16 to 256/],
    ['long', 'a'.repeat(257), /257 characters/],
    ['comma', 'Qx7trLm9aBcdE2fGh,iterations=1', /may hold only/],
    ['bracket', 'Qx7trLm9aBcdE2fGh]', /may hold only/],
    ['two lines', 'Qx7trLm9aBcdE2fGh\nsecond-line-here', /may hold only/],
    ['space', 'Qx7trLm9a BcdE2fGh', /may hold only/],
  ])('refuses a password that is %s', (name, text, message) => {
    expect(refusal(passwordFile(name, text))).toMatch(message);
  });

  it('names a missing file', () => {
    expect(refusal(join(dir, 'absent'))).toMatch(/cannot be read \(ENOENT\)/);
  });
});
