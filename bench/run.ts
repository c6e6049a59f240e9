import { startCluster } from '@passport/infra/sources/start-cluster';
import { acceptBench } from './accept.bench';
import { cryptoBench } from './crypto.bench';
import { endToEndBench } from './end-to-end.bench';
import { matchingBench } from './matching.bench';
import { pipelineBench } from './pipeline.bench';
import { BENCH_NAMES, resultTable, writeResults, type BenchName, type StoredResult } from './results-file';
import { log } from './stats';

/**
 * `npm run bench [name…]`: each benchmark measures its figure against a baseline taken in the same run
 * on this machine, prints a table and writes bench/results/latest.json and latest.md (a partial run
 * replaces its own rows there and keeps the others).
 */
async function main(selected: string[]): Promise<number> {
  const unknown = selected.filter((name) => !(BENCH_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown benchmark ${unknown.join(', ')}; choose from ${BENCH_NAMES.join(', ')}\n`,
    );
    return 2;
  }
  const wanted = (name: BenchName) => selected.length === 0 || selected.includes(name);
  const at = new Date().toISOString();
  const results: StoredResult[] = [];
  if (wanted('matching')) results.push({ bench: 'matching', at, ...(await matchingBench()) });
  if (wanted('crypto')) results.push({ bench: 'crypto', at, ...(await cryptoBench()) });
  if (wanted('pipeline') || wanted('accept') || wanted('e2e')) {
    const cluster = await startCluster(log);
    try {
      if (wanted('pipeline'))
        for (const result of await pipelineBench(cluster)) results.push({ bench: 'pipeline', at, ...result });
      if (wanted('accept')) results.push({ bench: 'accept', at, ...(await acceptBench(cluster)) });
      if (wanted('e2e'))
        for (const result of await endToEndBench(cluster)) results.push({ bench: 'e2e', at, ...result });
    } finally {
      await cluster.stop();
    }
  }
  process.stdout.write(`\n${resultTable(results)}\n`);
  await writeResults(results);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
