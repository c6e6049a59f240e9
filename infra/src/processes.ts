import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PortTakenError, ProcessError } from '@passport/errors';

/**
 * Every JVM we start carries `-Dpassport.role=<role>` and `-Dpassport.home=<home>`. Stopping checks
 * both on the live command line, so a pid file left behind never makes us kill someone else's process.
 */
export interface ManagedProcess {
  readonly role: string;
  readonly homeDir: string;
  readonly pidDir: string;
}

export function identityFlags(proc: ManagedProcess): string[] {
  return [`-Dpassport.role=${proc.role}`, `-Dpassport.home=${proc.homeDir}`];
}

function pidFile(proc: ManagedProcess): string {
  return join(proc.pidDir, `${proc.role}.pid`);
}

function commandLine(pid: number): string | undefined {
  const procFile = `/proc/${pid}/cmdline`;
  try {
    if (existsSync('/proc/self')) return readFileSync(procFile, 'utf8').replace(/\0/g, ' ');
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

/** The pid of our running process for this role, if there is one. */
export function runningPid(proc: ManagedProcess): number | undefined {
  const file = pidFile(proc);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmd = commandLine(pid);
  if (cmd && identityFlags(proc).every((flag) => cmd.includes(flag))) return pid;
  rmSync(file, { force: true });
  return undefined;
}

export function startDetached(
  proc: ManagedProcess,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
): number {
  mkdirSync(proc.pidDir, { recursive: true });
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env });
    if (child.pid === undefined)
      throw new ProcessError('PASSPORT_PROCESS_FAILED', `Could not start ${proc.role} (${command}).`);
    child.unref();
    writeFileSync(pidFile(proc), String(child.pid));
    return child.pid;
  } finally {
    closeSync(out);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`. Only ever our own pid. */
export async function stopProcess(proc: ManagedProcess, graceMs = 20_000): Promise<boolean> {
  const pid = runningPid(proc);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(50);
  rmSync(pidFile(proc), { force: true });
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const finish = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function assertPortFree(port: number, what: string, overrideVariable: string): Promise<void> {
  if (await isPortOpen(port)) {
    throw new PortTakenError(
      port,
      `Port ${port} (${what}) is already taken by a process this project did not start. Stop it, or choose another base port with ${overrideVariable}.`,
    );
  }
}

/** Polls `check` until it returns true; throws with the log file to read when it never does. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { what: string; timeoutMs: number; logFile: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (options.pid !== undefined && !alive(options.pid)) {
      throw new ProcessError(
        'PASSPORT_PROCESS_FAILED',
        `${options.what} exited during start; see ${options.logFile}.`,
      );
    }
    await sleep(250);
  }
  throw new ProcessError(
    'PASSPORT_STARTUP_TIMEOUT',
    `${options.what} did not answer within ${options.timeoutMs / 1000}s; see ${options.logFile}.`,
  );
}
