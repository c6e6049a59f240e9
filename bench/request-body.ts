/** The deadline the bench requests carry: beyond the 48 h reminder window, so no reminders join in. */
const THIRTY_DAYS_MS = 30 * 86_400_000;

/**
 * The body of `POST /requests` both HTTP benchmarks send: a small gear maker from BW_i looking for
 * distributors, as JSON text. Only the partner agencies it is sent to and its keywords vary.
 */
export function gearMakerRequestBody(options: { targetAgencies: string[]; keywords?: string[] }): string {
  return JSON.stringify({
    firm: {
      name: 'Bench Example GmbH',
      contact: {
        fullName: 'Ben Bench',
        role: null,
        email: 'ben@bench.example',
        phone: null,
        preferredLanguage: 'de',
      },
    },
    profile: {
      kind: 'CUSTOMER',
      title: 'Distributors for precision gears',
      summary: 'A maker of precision gears seeks distributors.',
      description: 'Spur and helical gears for machine builders.',
      textLanguage: 'en',
      ...(options.keywords ? { keywords: options.keywords } : {}),
      sectors: [{ code: '28.15', revision: 'REV_2' }],
      partnershipTypes: ['DISTRIBUTION'],
      targetAgencies: options.targetAgencies,
      workingLanguages: ['de', 'en'],
      deadline: new Date(Date.now() + THIRTY_DAYS_MS).toISOString(),
      firm: { sizeBand: 'SMALL', nutsRegion: 'DE11', exportExperience: 'NONE' },
    },
  });
}
