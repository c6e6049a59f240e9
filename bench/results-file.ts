import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { BenchResult } from './stats';

export const BENCH_NAMES = ['matching', 'crypto', 'pipeline', 'accept', 'e2e'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** A result as the file keeps it: which benchmark, and when it was measured. */
export interface StoredResult extends BenchResult {
  bench: BenchName;
  at: string;
}

/** Files written before results carried their benchmark's name are recognised by their titles. */
const TITLE_PREFIXES: Record<BenchName, string> = {
  matching: 'matching:',
  crypto: 'crypto:',
  pipeline: 'pipeline:',
  accept: 'accept path:',
  e2e: 'end to end',
};

const DIR = join(__dirname, 'results');

function earlierResults(): StoredResult[] {
  const file = join(DIR, 'latest.json');
  if (!existsSync(file)) return [];
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    at: string;
    results: Array<BenchResult & Partial<StoredResult>>;
  };
  return stored.results.flatMap((result) => {
    const bench = result.bench ?? BENCH_NAMES.find((name) => result.name.startsWith(TITLE_PREFIXES[name]));
    return bench ? [{ ...result, bench, at: result.at ?? stored.at }] : [];
  });
}

export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.figure.toFixed(2)} ${r.unit} | ${r.target} | ${r.met ? 'met' : 'NOT met'} | ${Object.entries(
        r.details,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')} |`,
  );
  return ['| benchmark | result | target | | details |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

/**
 * Writes bench/results/latest.json and latest.md. A run of some benchmarks replaces their rows and
 * keeps the others' from earlier runs, each with the time it was measured, in the usual order.
 */
export async function writeResults(fresh: readonly StoredResult[]): Promise<void> {
  const replaced = new Set(fresh.map((result) => result.bench));
  const kept = earlierResults().filter((result) => !replaced.has(result.bench));
  const results = [...kept, ...fresh].sort(
    (a, b) => BENCH_NAMES.indexOf(a.bench) - BENCH_NAMES.indexOf(b.bench),
  );
  const stamp = fresh[0]?.at ?? new Date().toISOString();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(
    join(DIR, 'latest.json'),
    `${JSON.stringify({ at: stamp, node: process.version, results }, null, 2)}\n`,
  );
  const carried = [...new Set(kept.map((result) => result.at))].map(
    (at) =>
      `${kept
        .filter((result) => result.at === at)
        .map((result) => result.bench)
        .join(', ')} from ${at}`,
  );
  const when =
    `Measured ${stamp} on ${process.platform}/${process.arch}, Node ${process.version}: ${[...replaced].join(', ')}.` +
    (carried.length > 0 ? ` Carried over from earlier runs: ${carried.join('; ')}.` : '');
  const markdownFile = join(DIR, 'latest.md');
  // Formatted as the repository's prettier check wants it, so a fresh result can be committed as is.
  writeFileSync(
    markdownFile,
    await format(`${when}\n\n${resultTable(results)}\n`, {
      ...(await resolveConfig(markdownFile)),
      filepath: markdownFile,
    }),
  );
}
