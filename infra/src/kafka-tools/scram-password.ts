import { existsSync, readFileSync, statSync } from 'node:fs';
import { ConfigError } from '@passport/errors';
import { readSecrets, writeSecrets } from '../cluster-secrets';
import { findJava } from '../install/java';
import { runJavaTool } from '../kafka/java-tool';
import { paths, profileFromEnvironment, type ProfileName } from '../profile';
import { KAFKA_MIN_JAVA } from '../versions';
import { resolveTarget, writeToolFiles } from './run-tool';
import { KAFKA_TOOLS } from './tools';

/**
 * `npm run kafka -- scram-password --user <principal> --password-file <file>`: gives a principal a new
 * SCRAM-SHA-512 password read from an owner-only file. Kafka's ConfigCommand only takes the password
 * inside `--add-config` (its `--add-config-file` refuses SCRAM credentials), so the command goes through a
 * Java argument file (`runJavaTool`): the process list shows `java @<file>`, never the password. Runs as
 * the admin principal. On the local cluster the principal's entry in the secrets file follows, so the
 * next `npm start` and `--as <principal>` use the new password.
 */
export interface ScramPasswordInvocation {
  user: string;
  passwordFile: string;
  profile: ProfileName;
}

export const SCRAM_PASSWORD_USAGE =
  'scram-password --user <principal> --password-file <owner-only file> [--test | --faults]';

const MAX_PASSWORD_FILE_BYTES = 1024;
const PASSWORD_LENGTH = { min: 16, max: 256 };
/** Characters ConfigCommand's `[password=…]` syntax cannot misread (no `,` `=` `[` `]`, no spaces). */
const PASSWORD_CHARACTERS = /^[\w.~+/-]+$/;
const PRINCIPAL_NAME = /^[\w.-]{1,64}$/;

export function parseScramPasswordArgs(argv: readonly string[]): ScramPasswordInvocation | { error: string } {
  let user: string | undefined;
  let passwordFile: string | undefined;
  let profile: ProfileName = 'dev';
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const value = argv[index + 1];
    if (arg === '--user' || arg === '--password-file') {
      if (!value || value.startsWith('--'))
        return { error: `${arg} needs a value. Usage: ${SCRAM_PASSWORD_USAGE}` };
      if (arg === '--user') user = value;
      else passwordFile = value;
      index += 1;
    } else if (arg === '--test') profile = 'test';
    else if (arg === '--faults') profile = 'faults';
    else if (arg === '--add-config' || arg.startsWith('SCRAM-'))
      return {
        error: `Never put a password on the command line; write it to a file. Usage: ${SCRAM_PASSWORD_USAGE}`,
      };
    else return { error: `Unknown argument "${arg.slice(0, 40)}". Usage: ${SCRAM_PASSWORD_USAGE}` };
  }
  if (!user) return { error: `--user is required. Usage: ${SCRAM_PASSWORD_USAGE}` };
  if (user.length > 64 || !PRINCIPAL_NAME.test(user))
    return { error: '--user must be a principal name of letters, digits, ".", "_" or "-" (at most 64).' };
  if (!passwordFile) return { error: `--password-file is required. Usage: ${SCRAM_PASSWORD_USAGE}` };
  return { user, passwordFile, profile };
}

/** The new password: from a small owner-only file, one line, checked before Kafka sees it. */
export function readNewPassword(file: string): string {
  const refuse = (reason: string) => new ConfigError('--password-file', `${file}: ${reason}`);
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!stats.isFile()) throw refuse('is not a regular file');
  if ((stats.mode & 0o077) !== 0)
    throw refuse(
      `is readable by others (mode ${(stats.mode & 0o777).toString(8)}); chmod 600 it, or write it under umask 077`,
    );
  if (stats.size > MAX_PASSWORD_FILE_BYTES)
    throw refuse(`holds ${stats.size} bytes; a password file holds one line`);
  const password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max)
    throw refuse(
      `the password has ${password.length} characters; it needs ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max}`,
    );
  if (!PASSWORD_CHARACTERS.test(password))
    throw refuse(
      'the password may hold only letters, digits and . _ ~ + / - (one line, no spaces, "," "=" "[" "]")',
    );
  return password;
}

/** Replaces the principal's entry in the local secrets file, if it has one. */
function followInLocalSecrets(file: string, user: string, password: string): boolean {
  if (!existsSync(file)) return false;
  const secrets = readSecrets(file); // refuses a malformed file before anything is rewritten
  if (!Object.hasOwn(secrets.principals, user)) return false;
  secrets.principals[user] = password;
  writeSecrets(file, secrets);
  return true;
}

export interface ScramPasswordResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The local secrets file that now holds the new password, if any. */
  localSecretsFile?: string;
}

export function setScramPassword(
  invocation: ScramPasswordInvocation,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): ScramPasswordResult {
  const env = options.env ?? process.env;
  const password = readNewPassword(invocation.passwordFile);
  const target = resolveTarget(
    { tool: 'configs', principal: 'admin', profile: invocation.profile, toolArgs: [] },
    env,
  );
  const java = findJava(KAFKA_MIN_JAVA, "Kafka's tools", env);
  const { clientConfig, log4jConfig } = writeToolFiles(target);
  const result = runJavaTool(
    java,
    target.libs,
    KAFKA_TOOLS.configs,
    [
      '--bootstrap-server',
      target.bootstrap,
      '--command-config',
      clientConfig,
      '--alter',
      '--add-config',
      `SCRAM-SHA-512=[password=${password}]`,
      '--entity-type',
      'users',
      '--entity-name',
      invocation.user,
    ],
    {
      log4jConfig,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    },
  );
  const outcome: ScramPasswordResult = {
    status: result.status,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
  if (result.status !== 0 || env.KAFKA_BROKERS) return outcome;
  const secretsFile =
    env.PASSPORT_PRINCIPALS_FILE ?? paths.secrets(profileFromEnvironment(invocation.profile, env));
  return followInLocalSecrets(secretsFile, invocation.user, password)
    ? { ...outcome, localSecretsFile: secretsFile }
    : outcome;
}
