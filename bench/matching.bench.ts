import { performance } from 'node:perf_hooks';
import { loadAgencies, type Agency } from '@passport/config';
import { validateOutgoing, type NeedsProfile } from '@passport/events';
import { generateDemoDirectory } from '@passport/infra/system/demo-directory';
import { DEMO_SECTORS } from '@passport/infra/system/demo-sectors';
import { directoryCompany } from '@passport/agency-service/directory/company';
import { DirectoryIndex } from '@passport/agency-service/matching/directory-index';
import { cooperationRequestedSample } from '../test/fixtures/events';
import { log, percentile, type BenchResult } from './stats';

const COMPANIES = 100_000;
const REQUESTS = 1_000;

/** Requests spread over the demo sectors, so each search hits a realistic share of the directory. */
function requests(): NeedsProfile[] {
  const sectors = Object.values(DEMO_SECTORS);
  const base = (validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } })
    .payload.profile;
  return Array.from({ length: REQUESTS }, (_, i) => {
    const sector = sectors[i % sectors.length] as (typeof sectors)[number];
    return {
      ...base,
      sectors: [{ code: sector.nace[i % sector.nace.length] as string, revision: 'REV_2' as const }],
      productCodes: sector.hs.length ? [{ scheme: 'HS' as const, code: sector.hs[0] as string }] : [],
      keywords: [...sector.words.en, ...sector.words.de].slice(0, 4),
    };
  });
}

/** p50/p99 of one search on a 100k-company directory; baseline: the same scoring over one flat bucket. */
export async function matchingBench(): Promise<BenchResult> {
  const agency = loadAgencies().find((a) => a.id === 'accio') as Agency;
  log(`generating ${COMPANIES} companies…`);
  const companies = generateDemoDirectory(agency, COMPANIES).map((row) => directoryCompany.parse(row));
  const index = DirectoryIndex.build(companies);
  const profiles = requests();
  for (const profile of profiles.slice(0, 50)) index.search(profile); // warm-up
  const times: number[] = [];
  for (const profile of profiles) {
    const start = performance.now();
    index.search(profile);
    times.push(performance.now() - start);
  }
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  log(`matching p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
  return {
    name: 'matching: one request on a 100k-company directory',
    figure: p99,
    unit: 'ms p99',
    target: 'p99 < 20 ms',
    met: p99 < 20,
    details: {
      p50_ms: Number(p50.toFixed(3)),
      p99_ms: Number(p99.toFixed(3)),
      companies: COMPANIES,
      requests: REQUESTS,
    },
  };
}
