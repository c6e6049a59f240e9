import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PrerequisiteError } from '@passport/errors';

export interface JavaRuntime {
  readonly executable: string;
  readonly major: number;
}

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, for Java 8, `"1.8.0_392"` on stderr. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

function probe(executable: string): JavaRuntime | undefined {
  // `java -version` writes to stderr; older and newer JDKs differ, so read both streams.
  const result = spawnSync(executable, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return undefined;
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  return major === undefined ? undefined : { executable, major };
}

const JVM_ROOTS = ['/usr/lib/jvm', '/usr/local/lib/jvm', '/opt/java', '/Library/Java/JavaVirtualMachines'];

/** JAVA_HOME first, then `java` on PATH, then every JDK installed in the usual places. */
export function javaCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, 'bin', 'java'));
  candidates.push('java');
  for (const root of JVM_ROOTS) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).sort().reverse()) {
      for (const home of [join(root, entry), join(root, entry, 'Contents', 'Home')]) {
        const executable = join(home, 'bin', 'java');
        if (existsSync(executable)) candidates.push(executable);
      }
    }
  }
  return [...new Set(candidates)];
}

/** The first Java runtime of at least `minMajor`, or an error that says what to install. */
export function findJava(
  minMajor: number,
  purpose: string,
  env: NodeJS.ProcessEnv = process.env,
): JavaRuntime {
  const seen: string[] = [];
  for (const candidate of javaCandidates(env)) {
    const runtime = probe(candidate);
    if (!runtime) continue;
    if (runtime.major >= minMajor) return runtime;
    seen.push(`${candidate} (Java ${runtime.major})`);
  }
  const found = seen.length ? ` Found only: ${seen.join(', ')}.` : ' No Java runtime was found.';
  throw new PrerequisiteError(
    'PASSPORT_JAVA_MISSING',
    `${purpose} needs Java ${minMajor} or newer.${found} Install one (e.g. apt-get install openjdk-${minMajor}-jre-headless, or a Temurin JDK) or point JAVA_HOME at it.`,
  );
}
