import type { Agency } from '@passport/config';
import type { AgencyProcess } from './agency-process';
import { generateDemoDirectory } from './demo-directory';

const DEMO_COMPANIES = Number(process.env.PASSPORT_DEMO_COMPANIES ?? 5_000);

/**
 * On a fresh system, one request from the first agency to all others, so the inboxes show something.
 * It is sent through the public API, like any back office would.
 */
export async function seedDemoRequest(
  home: AgencyProcess,
  apiKey: string,
  agencies: readonly Agency[],
  log: (line: string) => void,
): Promise<void> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const existing = (await (await fetch(`${home.url}/requests`, { headers })).json()) as unknown[];
  if (existing.length > 0) return;
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const body = {
    firm: {
      name: 'Demo Präzisionsteile GmbH',
      contact: {
        fullName: 'Demo Contact',
        role: 'Export manager',
        email: 'export@demo.example',
        phone: null,
        preferredLanguage: 'de',
      },
    },
    profile: {
      kind: 'CUSTOMER',
      title: 'Distributors for precision gearbox components',
      summary:
        'A small Swabian manufacturer of precision gears looks for distributors serving machine builders.',
      description:
        'Hardened spur and helical gears in small and medium batches for packaging and machine-tool builders.',
      textLanguage: 'en',
      sectors: [{ code: '28.15', revision: 'REV_2' }],
      productCodes: [{ scheme: 'HS', code: '848340' }],
      keywords: ['gears', 'gearbox', 'machine building'],
      partnershipTypes: ['DISTRIBUTION'],
      targetAgencies: agencies.filter((a) => a.id !== home.agencyId).map((a) => a.id),
      workingLanguages: ['de', 'en'],
      deadline,
      firm: { sizeBand: 'SMALL', foundingYear: 1987, nutsRegion: 'DE11', exportExperience: 'OCCASIONAL' },
    },
  };
  const response = await fetch(`${home.url}/requests`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': 'demo-request-1' },
    body: JSON.stringify(body),
  });
  log(
    response.ok
      ? `Demo request sent by ${home.agencyId}: ${JSON.stringify(await response.json())}`
      : `Demo request refused: ${await response.text()}`,
  );
}

/** On first start, each agency's directory gets its generated regional ecosystem, through the import API. */
export async function loadDemoDirectory(
  service: AgencyProcess,
  apiKey: string,
  agency: Agency,
  log: (line: string) => void,
): Promise<void> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const { total } = (await (await fetch(`${service.url}/directory?limit=1`, { headers })).json()) as {
    total: number;
  };
  if (total > 0) return;
  log(`Loading a demo directory of ${DEMO_COMPANIES} ${agency.region} companies into ${agency.id}…`);
  const response = await fetch(`${service.url}/directory/import`, {
    method: 'POST',
    headers,
    body: JSON.stringify(generateDemoDirectory(agency, DEMO_COMPANIES)),
  });
  const report = (await response.json()) as { accepted?: number; rejected?: unknown[] };
  log(
    `  ${agency.id}: ${report.accepted ?? 0} companies imported, ${report.rejected?.length ?? 0} rows rejected.`,
  );
}
