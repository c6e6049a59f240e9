import { performance } from 'node:perf_hooks';

/**
 * Timed rounds per stage. Stages take turns within each round, so a neighbour's burst of load on a
 * shared machine lands on all of them alike instead of on whichever ran at that moment.
 */
const ROUNDS = 15;

/**
 * Microseconds per call of each stage: the fastest of ROUNDS rounds of `calls` calls, after a warm-up
 * round. The fastest, not the median: on a loaded machine the other rounds measure the neighbours'
 * work as much as ours (every round the scheduler takes the core away lasts longer, never shorter).
 */
export function microsPerCall<S extends string>(
  calls: number,
  stages: Record<S, (index: number) => unknown>,
): Record<S, number> {
  const best = {} as Record<S, number>;
  for (let round = 0; round <= ROUNDS; round += 1)
    for (const [name, work] of Object.entries(stages) as Array<[S, (index: number) => unknown]>) {
      const started = performance.now();
      for (let index = 0; index < calls; index += 1) work(index);
      const micros = ((performance.now() - started) * 1000) / calls;
      if (round > 0) best[name] = Math.min(best[name] ?? Infinity, micros);
    }
  return best;
}

/** Awaited one after the other: the latency of one call as a request's path sees it, fastest round. */
export async function microsPerSequentialCall(
  calls: number,
  work: (index: number) => Promise<unknown>,
): Promise<number> {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round += 1) {
    const started = performance.now();
    for (let index = 0; index < calls; index += 1) await work(index);
    if (round > 0) best = Math.min(best, ((performance.now() - started) * 1000) / calls);
  }
  return best;
}
