import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DownloadError } from '@passport/errors';
import { paths, type InfraProfile } from '../profile';
import { APICURIO_VERSION, KAFKA_VERSION } from '../versions';
import { assertMavenPresent, runMaven } from './maven';

type Log = (line: string) => void;

function pomWith(dependencies: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>eu.fourmotors.passport</groupId>
  <artifactId>local-infra</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>${dependencies}
  </dependencies>
</project>
`;
}

export function marker(dir: string, version: string): string {
  return join(dir, `.installed-${version}`);
}

/** The broker and Kafka's own tools as plain jars; one classpath serves kafka.Kafka and every tool. */
export async function installKafka(profile: InfraProfile, log: Log): Promise<string> {
  const libs = paths.kafkaLibs(profile);
  if (existsSync(marker(libs, KAFKA_VERSION))) return libs;
  assertMavenPresent();
  rmSync(libs, { recursive: true, force: true });
  const dependency = (artifact: string) =>
    `\n    <dependency><groupId>org.apache.kafka</groupId><artifactId>${artifact}</artifactId><version>${KAFKA_VERSION}</version></dependency>`;
  await runMaven(
    {
      workDir: join(paths.mavenWork(profile), 'kafka'),
      label: `Apache Kafka ${KAFKA_VERSION} jars (~54 MB)`,
      pom: pomWith(
        dependency('kafka_2.13') +
          dependency('kafka-tools') +
          // The broker logs through slf4j 1.7; the distribution ships this bridge, the Maven artifacts do not.
          '\n    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.25.5</version></dependency>',
      ),
      args: ['dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    },
    log,
  );
  writeFileSync(marker(libs, KAFKA_VERSION), new Date().toISOString());
  return libs;
}

/**
 * Fetches a Maven artifact that is an archive and unpacks it into `home` (dropping `stripComponents`
 * leading folders), checking that `expectedFile` is then there. Nothing is kept of a failed unpack.
 */
export async function installArchive(
  profile: InfraProfile,
  archive: { artifact: string; label: string; home: string; expectedFile: string; stripComponents?: number },
  log: Log,
): Promise<void> {
  const download = join(dirname(archive.home), 'download');
  const name = archive.artifact.split(':')[1] ?? 'archive';
  await runMaven(
    {
      workDir: join(paths.mavenWork(profile), name),
      label: archive.label,
      pom: pomWith(''),
      args: ['dependency:copy', `-Dartifact=${archive.artifact}`, `-DoutputDirectory=${download}`],
    },
    log,
  );
  const version = archive.artifact.split(':')[2] ?? '';
  const file = readdirSync(download).find((entry) => entry.includes(version) && entry.endsWith('.tar.gz'));
  if (!file)
    throw new DownloadError(`Maven finished but no ${name} archive is in ${download}; rerun to retry.`);
  log(`  Unpacking ${file}…`);
  rmSync(archive.home, { recursive: true, force: true });
  mkdirSync(archive.home, { recursive: true });
  try {
    execFileSync(
      'tar',
      [
        '-xzf',
        join(download, file),
        '-C',
        archive.home,
        `--strip-components=${archive.stripComponents ?? 0}`,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(archive.home, { recursive: true, force: true });
    throw new DownloadError(`Unpacking ${file} failed; delete ${download} and rerun.`, { cause: error });
  }
  if (!existsSync(join(archive.home, archive.expectedFile))) {
    rmSync(archive.home, { recursive: true, force: true });
    throw new DownloadError(`${file} has no ${archive.expectedFile}; delete ${download} and rerun.`);
  }
}

/** Apicurio Registry as its Quarkus distribution; returns the folder holding quarkus-run.jar. */
export async function installRegistry(profile: InfraProfile, log: Log): Promise<string> {
  const home = join(paths.registryDist(profile), APICURIO_VERSION);
  if (existsSync(marker(home, APICURIO_VERSION))) return home;
  assertMavenPresent();
  await installArchive(
    profile,
    {
      artifact: `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`,
      label: `Apicurio Registry ${APICURIO_VERSION} (~158 MB)`,
      home,
      expectedFile: 'quarkus-run.jar',
    },
    log,
  );
  writeFileSync(marker(home, APICURIO_VERSION), new Date().toISOString());
  return home;
}
