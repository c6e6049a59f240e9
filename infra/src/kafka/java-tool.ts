import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JavaRuntime } from '../install/java';

/**
 * Runs a main class from the Kafka jars, the same classpath as the broker. Some tools take SCRAM
 * passwords as arguments (`--add-scram`, `--add-config`), and a process's arguments are readable by
 * every user of the machine (`ps`, /proc), so the whole command line goes into a Java argument file
 * (`java @file`, JDK 9+) in an owner-only folder, deleted when the tool exits: argv is only `@<file>`.
 */
export function runJavaTool(
  java: JavaRuntime,
  libs: string,
  mainClass: string,
  args: string[],
  options: SpawnSyncOptions & { log4jConfig?: string } = {},
) {
  const jvmArgs = ['-Xmx256m', '-cp', join(libs, '*')];
  if (options.log4jConfig) jvmArgs.push(`-Dlog4j2.configurationFile=${options.log4jConfig}`);
  const { log4jConfig: _ignored, ...spawnOptions } = options;
  const folder = mkdtempSync(join(tmpdir(), 'passport-java-'));
  try {
    const argFile = join(folder, 'args');
    writeFileSync(argFile, `${[...jvmArgs, mainClass, ...args].map(quoteForArgFile).join('\n')}\n`, {
      mode: 0o600,
    });
    return spawnSync(java.executable, [`@${argFile}`], { encoding: 'utf8', ...spawnOptions });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Argument files split on whitespace and treat `#` as a comment unless quoted; `\` escapes in quotes. */
function quoteForArgFile(arg: string): string {
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
