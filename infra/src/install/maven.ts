import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DownloadError, PrerequisiteError } from '@passport/errors';

export interface MavenGoal {
  /** Folder for the throw-away pom and Maven's log. */
  workDir: string;
  /** What the user reads while Maven works, e.g. "Kafka 4.4.0 jars". */
  label: string;
  pom: string;
  args: string[];
}

export function assertMavenPresent(): void {
  const result = spawnSync('mvn', ['--version'], { stdio: 'ignore' });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError(
      'PASSPORT_MAVEN_MISSING',
      'Apache Maven (mvn) is needed to fetch Kafka and the schema registry from Maven Central. Install it (e.g. apt-get install maven) and rerun.',
    );
  }
}

/**
 * Runs one Maven goal, printing a line per finished download so a first install shows progress.
 * Maven keeps what it fetched in ~/.m2, so a rerun after a failure resumes instead of starting over.
 */
export async function runMaven(goal: MavenGoal, log: (line: string) => void): Promise<void> {
  mkdirSync(goal.workDir, { recursive: true });
  writeFileSync(join(goal.workDir, 'pom.xml'), goal.pom);
  const logFile = join(goal.workDir, 'maven.log');
  const lines: string[] = [];
  let downloads = 0;
  log(`Fetching ${goal.label} from Maven Central (cached in ~/.m2 after the first time)…`);
  const exitCode = await new Promise<number>((resolvePromise, reject) => {
    const child = spawn('mvn', ['-B', '-f', join(goal.workDir, 'pom.xml'), ...goal.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        lines.push(line);
        const done = /Downloaded from [^:]+: \S+\/([^/\s]+) \(([^)]+)\)/.exec(line);
        if (done) {
          downloads += 1;
          if (downloads % 10 === 1 || /\.(jar|tar\.gz)$/.test(done[1] ?? ''))
            log(`  [${downloads}] ${done[1]} (${done[2]})`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
  writeFileSync(logFile, lines.join('\n'));
  if (exitCode !== 0) {
    const errors = lines
      .filter((line) => line.includes('[ERROR]'))
      .slice(0, 3)
      .join('\n  ');
    throw new DownloadError(
      `Fetching ${goal.label} failed (mvn exit ${exitCode}); full log in ${logFile}.\n  ${errors}\nRerun the same command to resume.`,
    );
  }
  log(
    `  ${goal.label}: ${downloads === 0 ? 'already in the Maven cache' : `${downloads} files downloaded`}.`,
  );
}
