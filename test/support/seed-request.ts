import type { AgencySystem } from './agency-system';

export const SEED_FIRM_EMAIL = 'erika.mustermann@zahnradwerk.example';

/** The seed story's request: a Baden-Württemberg gearbox maker looking for distributors. */
export const seedRequestBody = (deadline: string) => ({
  firm: {
    name: 'Zahnradwerk Example GmbH',
    contact: {
      fullName: 'Erika Mustermann',
      role: 'Head of Sales',
      email: SEED_FIRM_EMAIL,
      phone: '+497111234567',
      preferredLanguage: 'de',
    },
  },
  profile: {
    kind: 'CUSTOMER',
    title: 'Distribution partner for precision gearbox components',
    summary:
      'A Swabian manufacturer of precision gearbox components seeks distributors serving machine builders.',
    description:
      'Hardened spur and helical gears in small and medium batches for packaging and machine-tool builders.',
    textLanguage: 'en',
    sectors: [{ code: '28.15', revision: 'REV_2' }],
    productCodes: [{ scheme: 'HS', code: '848340' }],
    partnershipTypes: ['DISTRIBUTION'],
    targetAgencies: ['aura', 'accio', 'promos'],
    workingLanguages: ['de', 'en'],
    deadline,
    firm: { sizeBand: 'SMALL', foundingYear: 1987, nutsRegion: 'DE11', exportExperience: 'OCCASIONAL' },
  },
});

/** bwi posts the seed request (deadline in 30 days) under a fresh idempotency key. */
export function postSeedRequest(
  system: AgencySystem,
  keyPrefix: string,
): Promise<{ status: number; body: { requestId: string } }> {
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return system.call<{ requestId: string }>('bwi', 'POST', '/requests', seedRequestBody(deadline), {
    'idempotency-key': `${keyPrefix}-${Date.now()}`,
  });
}
