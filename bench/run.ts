import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { startCluster } from '../infra/src/sources/start-cluster';
import { acceptBench } from './accept.bench';
import { endToEndBench } from './end-to-end.bench';
import { matchingBench } from './matching.bench';
import { pipelineBench } from './pipeline.bench';
import { log, type BenchResult } from './stats';

/**
 * `npm run bench [name…]`: each benchmark measures its figure against a baseline taken in the same run
 * on this machine, prints a table and writes bench/results/latest.json and latest.md.
 */
async function main(selected: string[]): Promise<number> {
  const wanted = (name: string) => selected.length === 0 || selected.includes(name);
  const results: BenchResult[] = [];
  if (wanted('matching')) results.push(await matchingBench());
  if (wanted('pipeline') || wanted('accept') || wanted('e2e')) {
    const cluster = await startCluster(log);
    try {
      if (wanted('pipeline')) results.push(await pipelineBench(cluster));
      if (wanted('accept')) results.push(await acceptBench(cluster));
      if (wanted('e2e')) results.push(await endToEndBench(cluster));
    } finally {
      await cluster.stop();
    }
  }
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.figure.toFixed(2)} ${r.unit} | ${r.target} | ${r.met ? 'met' : 'NOT met'} | ${Object.entries(
        r.details,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')} |`,
  );
  const table = [
    '| benchmark | result | target | | details |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString();
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ at: stamp, node: process.version, results }, null, 2)}\n`,
  );
  const markdownFile = join(dir, 'latest.md');
  // Formatted as the repository's prettier check wants it, so a fresh result can be committed as is.
  const markdown = `Measured ${stamp} on ${process.platform}/${process.arch}, Node ${process.version}.\n\n${table}\n`;
  writeFileSync(
    markdownFile,
    await format(markdown, { ...(await resolveConfig(markdownFile)), filepath: markdownFile }),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
