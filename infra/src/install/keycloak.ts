import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DownloadError } from '@passport/errors';
import { paths, type InfraProfile } from '../profile';
import { KEYCLOAK_VERSION } from '../versions';
import { installArchive, marker } from './install';
import type { JavaRuntime } from './java';
import { assertMavenPresent } from './maven';

type Log = (line: string) => void;

/**
 * Options fixed when Keycloak is built. Building once at install lets every start use `--optimized`,
 * which skips Quarkus' re-augmentation (about 30 s) on each start of each profile.
 */
export const KEYCLOAK_BUILD_OPTIONS = ['--db=dev-file', '--health-enabled=true'];

/** Names the build in the install marker, so a change of build options builds again. */
const BUILD = `${KEYCLOAK_VERSION}-dev-file-health`;

/** Keycloak's Quarkus distribution, built for our options; returns its home folder. */
export async function installKeycloak(profile: InfraProfile, java: JavaRuntime, log: Log): Promise<string> {
  const home = join(paths.keycloakDist(profile), KEYCLOAK_VERSION);
  if (existsSync(marker(home, BUILD))) return home;
  assertMavenPresent();
  await installArchive(
    profile,
    {
      artifact: `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz`,
      label: `Keycloak ${KEYCLOAK_VERSION} (~176 MB)`,
      home,
      expectedFile: join('lib', 'quarkus-run.jar'),
      stripComponents: 1,
    },
    log,
  );
  log('  Building Keycloak for the local options (once, ~30 s)…');
  try {
    // kc.sh runs the Java named by $JAVA: the registry's runtime, since Keycloak also needs 21+.
    execFileSync(join(home, 'bin', 'kc.sh'), ['build', ...KEYCLOAK_BUILD_OPTIONS], {
      env: { ...process.env, JAVA: java.executable },
      stdio: 'pipe',
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString().split('\n').slice(-5).join('\n  ');
    throw new DownloadError(`Building Keycloak failed; rerun to retry.\n  ${output ?? ''}`, { cause: error });
  }
  writeFileSync(marker(home, BUILD), new Date().toISOString());
  return home;
}
