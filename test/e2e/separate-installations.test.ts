import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAgencies } from '@passport/config';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { postSeedRequest } from '../support/seed-request';
import { installationLockfile, type PackedPackage } from '../support/installation-lockfile';
import { adminConnection } from '../support/cluster';

const REPO_ROOT = resolve(__dirname, '..', '..');
/** The agency service and the workspace libraries it runs on: what an agency installs. */
const PACKAGES = [
  '@passport/agency-service',
  '@passport/bus',
  '@passport/config',
  '@passport/errors',
  '@passport/events',
  '@passport/trust',
];

/** `npm pack` each package, then `npm ci --offline` them with the repository's exact versions. */
function installAgencyPackage(root: string): { bin: string; seconds: number } {
  const packDir = join(root, 'pack');
  const installDir = join(root, 'install');
  mkdirSync(packDir);
  mkdirSync(installDir);
  const started = Date.now();
  execFileSync('npm', ['pack', '--pack-destination', packDir, ...PACKAGES.flatMap((name) => ['-w', name])], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
  const packed: PackedPackage[] = readdirSync(packDir).map((file) => ({
    name: `@passport/${file.replace(/^passport-/, '').replace(/-\d+\.\d+\.\d+\.tgz$/, '')}`,
    tarball: join(packDir, file),
  }));
  expect(packed.map((pkg) => pkg.name).sort()).toEqual([...PACKAGES].sort());
  const repoLock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const lock = installationLockfile(repoLock, installDir, packed);
  writeFileSync(join(installDir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const manifest = {
    name: 'agency-installation',
    version: '1.0.0',
    private: true,
    dependencies: lock.packages['']?.dependencies,
    allowScripts: { 'better-sqlite3': true, esbuild: true },
  };
  writeFileSync(join(installDir, 'package.json'), JSON.stringify(manifest, null, 2));
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: installDir, stdio: 'ignore' });
  const bin = join(installDir, 'node_modules', '@passport', 'agency-service', 'bin', 'passport-agency.js');
  return { bin, seconds: (Date.now() - started) / 1000 };
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

describe('four agencies installed separately from the packed package', () => {
  const root = mkdtempSync(join(tmpdir(), 'passport-installations-'));
  let system: AgencySystem;
  let installSeconds = 0;

  beforeAll(async () => {
    const installed = installAgencyPackage(root);
    installSeconds = installed.seconds;
    process.stdout.write(`agency package packed and installed offline in ${installSeconds.toFixed(1)} s\n`);
    system = await startAgencySystem(28_601, { agencyBin: installed.bin });
  }, 600_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('runs each agency from its own folder, answering a request from another', async () => {
    expect(installSeconds).toBeGreaterThan(0);
    for (const service of Object.values(system.services)) {
      const argv = readFileSync(`/proc/${service.child.pid}/cmdline`, 'utf8');
      expect(argv).toContain(join(root, 'install', 'node_modules', '@passport', 'agency-service'));
    }
    const created = await postSeedRequest(system, 'installations');
    expect(created.status).toBe(201);
    const { requestId } = created.body;
    await eventually(async () => {
      const detail = await system.call<{ partners: Array<{ agencyId: string; status: string }> }>(
        'bwi',
        'GET',
        `/requests/${requestId}`,
      );
      const partners = detail.body.partners;
      return partners.length === 3 && partners.every((p) => p.status === 'acknowledged') ? true : undefined;
    }, 'acknowledgements from the three other agencies');
  });

  it("holds no other agency's secret in any agency's folder", () => {
    const agencies = loadAgencies().map((agency) => agency.id);
    for (const id of agencies) {
      const home = join(system.dir, 'agencies', id);
      const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
      const ownSecrets = [
        config.CANDIDATE_REF_SECRET,
        config.KAFKA_SASL_PASSWORD,
        config.SCHEMA_REGISTRY_PASSWORD,
      ] as string[];
      expect(ownSecrets.every((secret) => typeof secret === 'string' && secret.length >= 16)).toBe(true);
      expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);
      // A private key in the folder is the agency's own client key or nothing: never the admin's.
      const keys = filesUnder(home)
        .map(({ path }) => path)
        .filter((path) => path.endsWith('.key'));
      expect(keys).toEqual(config.KAFKA_SSL_KEY_FILE ? [join(home, config.KAFKA_SSL_KEY_FILE)] : []);
      for (const other of agencies.filter((candidate) => candidate !== id)) {
        for (const { path, text } of filesUnder(join(system.dir, 'agencies', other))) {
          for (const secret of ownSecrets)
            expect({ path, found: text.includes(secret) }).toEqual({ path, found: false });
        }
      }
    }
  });

  it("holds none of the operators' secrets: neither the admin's password nor its registry client secret", () => {
    const admin = adminConnection();
    const operatorSecrets = [admin.sasl?.password, admin.registry.password].filter(
      (secret): secret is string => typeof secret === 'string' && secret.length >= 16,
    );
    expect(operatorSecrets).toHaveLength(2);
    for (const id of loadAgencies().map((agency) => agency.id))
      for (const { path, text } of filesUnder(join(system.dir, 'agencies', id)))
        for (const secret of operatorSecrets)
          expect({ path, found: text.includes(secret) }).toEqual({ path, found: false });
  });
});
