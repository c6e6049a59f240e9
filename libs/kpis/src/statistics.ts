export interface Distribution {
  count: number;
  /** Hours, rounded to two decimals; null without observations. */
  median: number | null;
  p90: number | null;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Nearest-rank percentile: always an observed value, so a rebuild gives the same number bit for bit. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

export function distributionOfHours(durationsMs: readonly number[]): Distribution {
  const sorted = [...durationsMs].sort((a, b) => a - b).map((ms) => ms / 3_600_000);
  const median = percentile(sorted, 0.5);
  const p90 = percentile(sorted, 0.9);
  return {
    count: sorted.length,
    median: median === null ? null : round(median),
    p90: p90 === null ? null : round(p90),
  };
}

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}
