import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '@passport/errors';
import type { Environment } from './env';

/** What a program's configuration file may hold, and how its values are read. */
export interface ConfigFileKeys {
  /** Every key it may set: the environment variable names the program reads. */
  readonly known: ReadonlySet<string>;
  /** Values naming a file or directory: a relative one is taken from the file's folder. */
  readonly paths: ReadonlySet<string>;
  /** Values that let a reader act as the program's owner: the file must then be owner-only. */
  readonly secrets: ReadonlySet<string>;
  /**
   * Files whose content decides whom the program trusts (CA files, trust lists): whoever can rewrite
   * one could slip in their own CA or key, so group and others may not write them.
   */
  readonly trustedFiles?: ReadonlySet<string>;
  /** Files that are secrets themselves (private keys): readable by their owner alone. */
  readonly privateFiles?: ReadonlySet<string>;
}

/** The variable errors about the file itself are reported under. */
export const CONFIG_FILE_VARIABLE = 'PASSPORT_CONFIG_FILE';

/**
 * The file named by `--config <file>` (or `--config=<file>`) among the arguments, else by
 * PASSPORT_CONFIG_FILE; undefined when neither is given and the environment alone configures the service.
 */
export function configFileOf(argv: readonly string[], env: Environment): string | undefined {
  const index = argv.findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  if (index === -1) return env[CONFIG_FILE_VARIABLE] || undefined;
  const arg = argv[index] as string;
  const file = arg === '--config' ? argv[index + 1] : arg.slice('--config='.length);
  if (!file || file.startsWith('--')) {
    throw new ConfigError(CONFIG_FILE_VARIABLE, 'The --config argument needs a file path after it.');
  }
  return file;
}

/**
 * Reads a program's JSON configuration file into environment-shaped values: strings or numbers only,
 * known keys only, relative paths resolved against the file's own folder (so an installation can be moved
 * as a whole), and, like ssh with a private key, refused when it holds a secret others could read.
 */
export function readConfigFile(file: string, keys: ConfigFileKeys): Record<string, string> {
  const path = resolve(file);
  const object = parseJsonObject(path);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (!keys.known.has(key)) {
      throw new ConfigError(
        key,
        `Configuration file ${path}: unknown key ${key} (keys are the environment variable names).`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ConfigError(key, `Configuration file ${path}: ${key} must be a string or a number.`);
    }
    values[key] = resolvedValue(keys.paths.has(key), String(value), dirname(path));
  }
  refuseSharedSecrets(path, values, keys.secrets);
  refuseLooseFiles(path, values, keys);
  return values;
}

function parseJsonObject(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // The reason, never the text: a JSON syntax error can quote part of a secret.
    const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as Error).message;
    throw new ConfigError(CONFIG_FILE_VARIABLE, `Cannot read configuration file ${path}: ${reason}.`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE_VARIABLE, `Configuration file ${path} must hold one JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

function resolvedValue(isPath: boolean, value: string, base: string): string {
  if (!isPath || value === ':memory:' || isAbsolute(value)) return value;
  return resolve(base, value);
}

function refuseSharedSecrets(
  path: string,
  values: Record<string, string>,
  secretKeys: ReadonlySet<string>,
): void {
  const secrets = Object.keys(values).filter((key) => secretKeys.has(key));
  if (secrets.length === 0) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      CONFIG_FILE_VARIABLE,
      `Configuration file ${path} holds ${secrets.join(', ')} but is readable by others (mode ${mode.toString(8)}): make it owner-only, chmod 600 ${path}`,
    );
  }
}

const modeOf = (file: string) => statSync(file).mode & 0o777;

/**
 * The configuration file and the trust files it names may be changed by their owner only, private key
 * files read by their owner only. A named file that does not exist is left to the check that reads it.
 */
function refuseLooseFiles(path: string, values: Record<string, string>, keys: ConfigFileKeys): void {
  const configMode = modeOf(path);
  if ((configMode & 0o022) !== 0) {
    throw new ConfigError(
      CONFIG_FILE_VARIABLE,
      `Configuration file ${path} can be changed by others (mode ${configMode.toString(8)}): whoever rewrites it chooses the broker, registry and CA the service trusts; chmod go-w ${path}`,
    );
  }
  for (const [key, file] of Object.entries(values)) {
    const trusted = keys.trustedFiles?.has(key) ?? false;
    const secret = keys.privateFiles?.has(key) ?? false;
    if ((!trusted && !secret) || !existsSync(file)) continue;
    const mode = modeOf(file);
    if (secret && (mode & 0o077) !== 0) {
      throw new ConfigError(
        key,
        `${key} ${file} is a private key readable by others (mode ${mode.toString(8)}): make it owner-only, chmod 600 ${file}`,
      );
    }
    if (trusted && (mode & 0o022) !== 0) {
      throw new ConfigError(
        key,
        `${key} ${file} can be changed by others (mode ${mode.toString(8)}): whoever rewrites it chooses whom the service trusts; chmod go-w ${file}`,
      );
    }
  }
}

/** The file's values under the environment's: a variable set for the process wins over the file. */
export function withConfigFile(env: Environment, argv: readonly string[], keys: ConfigFileKeys): Environment {
  const file = configFileOf(argv, env);
  if (file === undefined) return env;
  const defined = Object.entries(env).filter(([, value]) => value !== undefined);
  return Object.freeze({ ...readConfigFile(file, keys), ...Object.fromEntries(defined) });
}
