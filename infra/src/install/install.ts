import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

function marker(dir: string, version: string): string {
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

/** Apicurio Registry as its Quarkus distribution; returns the folder holding quarkus-run.jar. */
export async function installRegistry(profile: InfraProfile, log: Log): Promise<string> {
  const root = paths.registryDist(profile);
  const home = join(root, APICURIO_VERSION);
  if (existsSync(marker(home, APICURIO_VERSION))) return home;
  assertMavenPresent();
  const download = join(root, 'download');
  await runMaven(
    {
      workDir: join(paths.mavenWork(profile), 'apicurio'),
      label: `Apicurio Registry ${APICURIO_VERSION} (~158 MB)`,
      pom: pomWith(''),
      args: [
        'dependency:copy',
        `-Dartifact=io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`,
        `-DoutputDirectory=${download}`,
      ],
    },
    log,
  );
  const archive = readdirSync(download).find(
    (file) => file.includes(APICURIO_VERSION) && file.endsWith('.tar.gz'),
  );
  if (!archive)
    throw new DownloadError(`Maven finished but no Apicurio archive is in ${download}; rerun to retry.`);
  log(`  Unpacking ${archive}…`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  try {
    execFileSync('tar', ['-xzf', join(download, archive), '-C', home], { stdio: 'pipe' });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw new DownloadError(`Unpacking ${archive} failed; delete ${download} and rerun.`, { cause: error });
  }
  if (!existsSync(join(home, 'quarkus-run.jar'))) {
    throw new DownloadError(`${archive} has no quarkus-run.jar at its top; delete ${download} and rerun.`);
  }
  writeFileSync(marker(home, APICURIO_VERSION), new Date().toISOString());
  return home;
}
