import type { Agency } from '@passport/config';
import type { AgencyProcess } from './agency-process';

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
