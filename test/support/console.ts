import type { ConsoleIo } from '@passport/console/context';
import { runCli } from '@passport/console/run-cli';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  /** stdout as NDJSON or one JSON document, parsed. */
  json<T = unknown>(): T;
  lines<T = unknown>(): T[];
}

/** Runs the CLI in-process, as `passport …` would, with extra environment variables. */
export async function passport(
  args: string[],
  env: Record<string, string> = {},
  answer = '',
  follow?: { signal: AbortSignal; out: string[] },
): Promise<CliResult> {
  const out: string[] = follow?.out ?? [];
  const err: string[] = [];
  const io: ConsoleIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ask: async () => answer,
    isTTY: answer !== '',
    ...(follow ? { signal: follow.signal } : {}),
  };
  const code = await runCli(args, io, { ...process.env, ...env });
  const stdout = out.join('\n');
  return {
    code,
    out: stdout,
    err: err.join('\n'),
    json: () => JSON.parse(stdout),
    lines: () =>
      stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line)),
  };
}
