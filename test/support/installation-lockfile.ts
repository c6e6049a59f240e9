import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

/** A workspace package packed with `npm pack`: its name and the tarball. */
export interface PackedPackage {
  name: string;
  tarball: string;
}

/**
 * The lockfile of an installation that depends on `packed` (tarballs of workspace packages), with every
 * other package pinned to exactly what the repository's lockfile resolved. `npm ci --offline` installs
 * it from npm's cache alone: no registry metadata is needed, since nothing is left to resolve.
 */
export function installationLockfile(
  repoLock: Lockfile,
  installDir: string,
  packed: readonly PackedPackage[],
): Lockfile {
  const tarballOf = new Map(packed.map((pkg) => [pkg.name, pkg.tarball]));
  const specOf = (name: string) => `file:${relative(installDir, tarballOf.get(name) as string)}`;
  const rootDeps = Object.fromEntries(packed.map((pkg) => [pkg.name, specOf(pkg.name)]));
  const packages: Record<string, LockEntry> = {
    '': { name: 'agency-installation', version: '1.0.0', dependencies: rootDeps },
  };
  // Breadth first from the installation's root: [path in the repository's lock, path installed].
  const queue: Array<[string, string]> = [['', '']];
  while (queue.length > 0) {
    const [lockPath, installPath] = queue.shift() as [string, string];
    const entry = lockPath === '' ? packages[''] : repoLock.packages[lockPath];
    const deps = { ...entry?.dependencies, ...entry?.optionalDependencies, ...entry?.peerDependencies };
    for (const name of Object.keys(deps)) {
      const found = resolveInLock(repoLock, lockPath, name, tarballOf.has(name));
      if (!found) continue; // An optional dependency for another platform.
      const target = found.workspace
        ? `node_modules/${name}`
        : installedPath(found.path, lockPath, installPath);
      if (packages[target]) continue;
      packages[target] = found.workspace
        ? workspaceEntry(
            repoLock.packages[found.path] as LockEntry,
            tarballOf.get(name) as string,
            specOf(name),
          )
        : productionEntry(repoLock.packages[found.path] as LockEntry);
      queue.push([found.path, target]);
    }
  }
  return { name: 'agency-installation', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/** Node's lookup, on the lock's paths: the nearest node_modules/<name> from `from` upwards. */
function resolveInLock(
  lock: Lockfile,
  from: string,
  name: string,
  isPacked: boolean,
): { path: string; workspace: boolean } | undefined {
  if (isPacked) {
    const link = lock.packages[`node_modules/${name}`];
    return link?.link && link.resolved ? { path: link.resolved, workspace: true } : undefined;
  }
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir === '.' ? '' : dir, 'node_modules', name);
    if (lock.packages[candidate]) return { path: candidate, workspace: false };
    if (dir === '' || dir === '.') return undefined;
  }
}

/** A package nested under a workspace folder in the repository sits under that package once installed. */
function installedPath(lockPath: string, parentLockPath: string, parentInstallPath: string): string {
  if (parentLockPath !== '' && lockPath.startsWith(`${parentLockPath}/`)) {
    return `${parentInstallPath}${lockPath.slice(parentLockPath.length)}`;
  }
  return lockPath;
}

function productionEntry(entry: LockEntry): LockEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
  return rest;
}

function workspaceEntry(entry: LockEntry, tarball: string, spec: string): LockEntry {
  const { name: _name, ...rest } = entry;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  return { ...productionEntry(rest), resolved: spec, integrity };
}
