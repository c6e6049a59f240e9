import { importProblems, packageNameOf, workspacePackages } from '../../support/workspace-imports';

describe('workspace packages', () => {
  const packages = workspacePackages();

  it('are found, libraries and services both', () => {
    const names = packages.map((pkg) => pkg.name);
    expect(names).toEqual(
      expect.arrayContaining(['@passport/config', '@passport/agency-service', '@passport/console']),
    );
  });

  it('name a package from a deep specifier', () => {
    expect(packageNameOf('@passport/config/topics')).toBe('@passport/config');
    expect(packageNameOf('tsx/cjs')).toBe('tsx');
  });

  // An installation gets what its package.json declares and nothing else: an undeclared import works
  // in the monorepo (hoisted node_modules) and breaks only where the package is installed alone.
  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    '%s declares every package it imports and imports nothing outside its folder',
    (_name, pkg) => {
      expect(importProblems(pkg)).toEqual([]);
    },
  );
});
