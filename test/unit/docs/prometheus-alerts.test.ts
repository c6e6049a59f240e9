import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const RULES_DIR = join(ROOT, 'docs', 'operations');
const RULES = join(RULES_DIR, 'prometheus-alerts.yml');

/** Debian's `prometheus` package ships promtool; CI installs it (.ci/run). */
function promtool(args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: RULES_DIR, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      throw new Error(
        'promtool not found: install it with `apt-get install -y prometheus` (as .ci/run does)',
      );
    throw new Error(`promtool ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}

/** Metric names the alert expressions read (comments and annotations are not expressions). */
function metricsInRules(): string[] {
  const expressions = readFileSync(RULES, 'utf8')
    .split('\n')
    .filter((line) => /^\s*expr:/.test(line));
  return [...new Set(expressions.flatMap((line) => line.match(/\bpassport_[a-z_]+\b/g) ?? []))].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every metric the services declare: prom-client's `name: 'passport_…'` in their source. */
function metricsInCode(): Set<string> {
  const files = ['services', 'libs'].flatMap((top) =>
    readdirSync(join(ROOT, top)).flatMap((pkg) => {
      const src = join(ROOT, top, pkg, 'src');
      try {
        return sourceFiles(src);
      } catch {
        return [];
      }
    }),
  );
  const names = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/name:\s*'(passport_[a-z_]+)'/g)].map((m) => m[1] as string),
  );
  return new Set(names);
}

describe('docs/operations/prometheus-alerts.yml', () => {
  it('is valid for Prometheus (promtool check rules)', () => {
    expect(promtool(['check', 'rules', 'prometheus-alerts.yml'])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('fires each alert on the series that cross its line and stays quiet on the others (promtool test rules)', () => {
    expect(promtool(['test', 'rules', 'prometheus-alerts.test.yml'])).toMatch(/SUCCESS/);
  });

  it('covers lag, outbox age, dead letters and certificate expiry', () => {
    expect(metricsInRules()).toEqual(
      expect.arrayContaining([
        'passport_consumer_lag',
        'passport_outbox_unconfirmed_oldest_seconds',
        'passport_dead_letters_total',
        'passport_tls_certificate_expiry_timestamp_seconds',
      ]),
    );
  });

  it('reads only metrics the service exports', () => {
    const exported = metricsInCode();
    expect(exported.size).toBeGreaterThan(10);
    expect(metricsInRules().filter((name) => !exported.has(name))).toEqual([]);
  });
});
