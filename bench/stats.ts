/** Percentiles by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

export interface BenchResult {
  name: string;
  /** The figure the target is about, e.g. a ratio or a p99 in ms. */
  figure: number;
  unit: string;
  target: string;
  met: boolean;
  details: Record<string, number | string>;
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
