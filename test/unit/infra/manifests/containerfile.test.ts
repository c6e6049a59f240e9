import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@passport/infra/profile';
import { containerfileProblems } from '@passport/infra/manifests/containerfile-rules';

const CONTAINERFILE = readFileSync(join(REPO_ROOT, 'deploy', 'container', 'Containerfile'), 'utf8');
const TARGETS = ['agency', 'console'];

describe('the Containerfile of the agency service and the console', () => {
  it('pins its base, installs with npm ci, runs as a non-root user with a health check, copies no secrets', () => {
    expect(containerfileProblems(CONTAINERFILE, TARGETS)).toEqual([]);
  });

  it('is refused when a rule is broken, so the check above can fail', () => {
    const broken = CONTAINERFILE.replace('node:20.20.2-bookworm-slim', 'node:latest')
      .replace('npm ci --no-audit', 'npm install --no-audit')
      .replace(/^USER node$/m, 'USER root')
      .replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\/login[^\n]*\n/, '')
      .replace('COPY --chown=root:root tsconfig.json ./', 'COPY .passport/ ./.passport/');
    expect(containerfileProblems(broken, TARGETS)).toEqual([
      'base image node:latest is not a pinned node:20.x.y-bookworm-slim',
      'no `npm ci` (lockfile-exact install)',
      expect.stringMatching(
        /^`npm install --no-audit --no-fund .*` may change the lockfile's versions; use npm ci$/,
      ),
      expect.stringMatching(/^line \d+: COPY of \.passport\/ would put secrets into the image$/),
      'agency: runs as root',
      'console: no HEALTHCHECK',
    ]);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['.passport', '**/node_modules', '**/*.env', '**/*.pem', '**/*.key']),
    );
  });
});
