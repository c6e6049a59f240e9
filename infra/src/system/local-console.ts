import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PRINCIPAL, readSecrets } from '../cluster-secrets';
import { localConnection } from '../local-connection';
import { paths, profileFromEnvironment, REPO_ROOT } from '../profile';
import { writeConsoleConfigFile } from './console-config-file';

/**
 * `npm run passport …`: the console against the local cluster of PASSPORT_PROFILE (dev by default),
 * through the configuration file of that profile; a connection given in the environment or a
 * PASSPORT_CONFIG_FILE of the caller's is used as it is.
 */
function main(): number {
  const env = { ...process.env };
  if (!env.KAFKA_BROKERS && !env.PASSPORT_CONFIG_FILE) {
    const profile = profileFromEnvironment(env.PASSPORT_PROFILE === 'test' ? 'test' : 'dev');
    // No cluster set up yet: the console itself then says which variable is missing.
    if (!existsSync(paths.secrets(profile))) return runConsole(env);
    const admin = localConnection(profile, readSecrets(paths.secrets(profile)), ADMIN_PRINCIPAL);
    env.PASSPORT_CONFIG_FILE = writeConsoleConfigFile(profile, admin);
  }
  return runConsole(env);
}

function runConsole(env: NodeJS.ProcessEnv): number {
  const bin = join(REPO_ROOT, 'services', 'console', 'bin', 'passport.js');
  const result = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit', env });
  return result.status ?? 1;
}

process.exit(main());
