import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../profile';

/** The admin password of the local web console, generated once into an owner-only file. */
export function ensureConsolePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

/** Starts the read-only web console (`passport console`) with the local cluster's console file. */
export function spawnWebConsole(
  password: string,
  logFile: string,
  configFile: string,
): { child: ChildProcess; url: string; stop(): Promise<void> } {
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'services', 'console', 'src', 'cli.ts'), 'console'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PASSPORT_CONFIG_FILE: configFile,
        PASSPORT_CONSOLE_PASSWORD: password,
      },
      stdio: ['ignore', out, out],
    },
  );
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  return {
    child,
    url: 'http://127.0.0.1:18180',
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
