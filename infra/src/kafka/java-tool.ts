import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';
import type { JavaRuntime } from '../install/java';

/** Runs a main class from the Kafka jars, the same classpath as the broker. */
export function runJavaTool(
  java: JavaRuntime,
  libs: string,
  mainClass: string,
  args: string[],
  options: SpawnSyncOptions & { log4jConfig?: string } = {},
) {
  const jvmArgs = ['-Xmx256m', '-cp', join(libs, '*')];
  if (options.log4jConfig) jvmArgs.push(`-Dlog4j2.configurationFile=${options.log4jConfig}`);
  return spawnSync(java.executable, [...jvmArgs, mainClass, ...args], { encoding: 'utf8', ...options });
}
