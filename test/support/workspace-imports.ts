import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface WorkspacePackage {
  name: string;
  dir: string;
  declared: ReadonlySet<string>;
}

/** Every workspace package named by the root package.json's `workspaces` globs (`folder/*` form). */
export function workspacePackages(): WorkspacePackage[] {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return root.workspaces.flatMap((pattern) => {
    const base = join(REPO_ROOT, pattern.replace(/\/\*$/, ''));
    const dirs = pattern.endsWith('/*') ? readdirSync(base).map((entry) => join(base, entry)) : [base];
    return dirs
      .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }))
      .map((dir) => {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
          peerDependencies?: Record<string, string>;
        };
        const declared = new Set([
          manifest.name,
          ...Object.keys(manifest.dependencies ?? {}),
          ...Object.keys(manifest.peerDependencies ?? {}),
        ]);
        return { name: manifest.name, dir, declared };
      });
  });
}

/** The files a package ships and runs: its TypeScript sources and its bin scripts. */
export function shippedFiles(dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
      return /\.(ts|js|cjs|mjs)$/.test(entry.name) ? [path] : [];
    });
  return ['src', 'bin']
    .map((folder) => join(dir, folder))
    .filter((folder) => statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(walk);
}

/** Module specifiers a file imports or requires, as TypeScript's own pre-processor finds them. */
export function importedSpecifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((imported) => imported.fileName);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const BUILTINS = new Set(builtinModules);

export interface ImportProblem {
  file: string;
  specifier: string;
  reason: 'undeclared' | 'outside the package';
}

/** What a package imports without declaring it, or reaches for outside its own folder. */
export function importProblems(pkg: WorkspacePackage): ImportProblem[] {
  return shippedFiles(pkg.dir).flatMap((file) =>
    importedSpecifiers(file).flatMap((specifier): ImportProblem[] => {
      const where = relative(REPO_ROOT, file);
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        return target === pkg.dir || target.startsWith(pkg.dir + sep)
          ? []
          : [{ file: where, specifier, reason: 'outside the package' }];
      }
      if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return [];
      return pkg.declared.has(packageNameOf(specifier))
        ? []
        : [{ file: where, specifier, reason: 'undeclared' }];
    }),
  );
}
