import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';

const CSV_HEADER =
  'companyId,name,naceCodes,products,keywords,description_en,description_es,sizeBand,nutsRegion,languages,partnershipTypes,nameDisclosable,contactName,contactEmail,contactLanguage';
const ACCIO_DIRECTORY = [
  CSV_HEADER,
  'es-100,Transmisiones Ejemplo SL,28.15,HS:848340,engranajes;distribución,Distributor of gears and power transmission parts,Distribuidor de engranajes,SMALL,ES511,es;en,DISTRIBUTION,true,Jordi Exemple,jordi@transmisiones.example,ca',
  'es-101,Piezas Lejanas SL,28.99,,,Special machinery,Maquinaria especial,LARGE,ES511,es,MANUFACTURING,false,,,',
  'es-102,Panadería Ejemplo SL,10.71,,pan,Bakery,Panadería,MICRO,ES511,es,,false,,,',
  'es-103,Bad Row SL,2815,,,Broken NACE code,,SMALL,ES511,es,,false,,,',
].join('\n');

const PROMOS_DIRECTORY = [
  {
    companyId: 'it-200',
    name: 'Ingranaggi Esempio Srl',
    naceCodes: [{ code: '28.15', revision: 'REV_2' }],
    keywords: ['ingranaggi', 'distribuzione'],
    descriptions: { it: 'Distributore di ingranaggi per macchine' },
    sizeBand: 'SMALL',
    nutsRegion: 'ITC45',
    languages: ['it', 'en'],
    partnershipTypes: ['DISTRIBUTION'],
  },
  {
    companyId: 'it-201',
    name: 'Macchine Esempio Spa',
    naceCodes: [{ code: '28.41', revision: 'REV_2' }],
    descriptions: { it: 'Macchine utensili' },
    sizeBand: 'LARGE',
    nutsRegion: 'ITC4',
    languages: ['it'],
  },
];

describe('ecosystem search: directories, auto and review modes', () => {
  let system: AgencySystem;

  beforeAll(async () => {
    system = await startAgencySystem(28_131, {
      env: {
        accio: { MATCHING_MODE: 'auto', MATCH_TOP_N: '2', MATCH_THRESHOLD: '0.5' },
        aura: { MATCHING_MODE: 'auto' },
        promos: { MATCHING_MODE: 'review' },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('imports directories with row-level errors and answers a request automatically or after review', async () => {
    const imported = await fetch(`${system.services.accio?.url}/directory/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.apiKey}`, 'content-type': 'text/csv' },
      body: ACCIO_DIRECTORY,
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({
      accepted: 3,
      inserted: 3,
      updated: 0,
      directorySize: 3,
      rejected: [{ line: 5, companyId: 'es-103', field: 'naceCodes' }],
    });
    expect((await system.call('promos', 'POST', '/directory/import', PROMOS_DIRECTORY)).body).toMatchObject({
      accepted: 2,
      rejected: [],
    });

    const created = await system.call<{ requestId: string }>('bwi', 'POST', '/requests', {
      firm: {
        name: 'Zahnradwerk Example GmbH',
        contact: {
          fullName: 'Erika Mustermann',
          role: null,
          email: 'erika@zahnradwerk.example',
          phone: null,
          preferredLanguage: 'de',
        },
      },
      profile: {
        kind: 'CUSTOMER',
        title: 'Distributors for precision gears',
        summary: 'A Swabian maker of precision gears (Zahnräder) seeks distributors.',
        description: 'Hardened spur and helical gears for machine builders.',
        textLanguage: 'en',
        keywords: ['Zahnräder', 'distribution'],
        sectors: [{ code: '28.15', revision: 'REV_2' }],
        productCodes: [{ scheme: 'HS', code: '848340' }],
        partnershipTypes: ['DISTRIBUTION'],
        targetAgencies: ['aura', 'accio', 'promos'],
        workingLanguages: ['de', 'en'],
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        firm: { sizeBand: 'SMALL', nutsRegion: 'DE11', exportExperience: 'OCCASIONAL' },
      },
    });
    const { requestId } = created.body;
    type Detail = {
      partners: Array<{ agencyId: string; status: string }>;
      candidates: Array<{
        agencyId: string;
        candidateRef: string;
        matchScore: number;
        rationale: string;
        disclosedName: string | null;
      }>;
    };
    const detail = async () => (await system.call<Detail>('bwi', 'GET', `/requests/${requestId}`)).body;

    // auto: accio proposes its matching distributor, aura (empty directory) finds none.
    const auto = await eventually(async () => {
      const d = await detail();
      const statuses = Object.fromEntries(d.partners.map((p) => [p.agencyId, p.status]));
      return statuses.accio === 'candidates' && statuses.aura === 'none_found' ? d : undefined;
    }, 'automatic answers from accio and aura');
    const fromAccio = auto.candidates.filter((c) => c.agencyId === 'accio');
    expect(fromAccio).toHaveLength(1);
    expect(fromAccio[0]).toMatchObject({
      disclosedName: 'Transmisiones Ejemplo SL',
      rationale: expect.stringContaining('NACE class 28.15'),
    });
    expect(fromAccio[0]?.matchScore).toBeGreaterThanOrEqual(0.5);

    // review: promos staff see ranked suggestions, approve one with an edited rationale.
    const suggestions = await eventually(async () => {
      const s = await system.call<Array<{ companyId: string; score: number; rationale: string }>>(
        'promos',
        'GET',
        `/inbox/${requestId}/suggestions`,
      );
      return s.status === 200 && s.body.length > 0 ? s.body : undefined;
    }, 'suggestions at promos');
    expect(suggestions[0]).toMatchObject({
      companyId: 'it-200',
      rationale: expect.stringMatching(/keywords .*gear/),
    });
    // promos committed its suggestions with its acknowledgement in its outbox; BW_i hears of it a
    // moment later, through the broker.
    const promosAtHome = await eventually(async () => {
      const status = (await detail()).partners.find((p) => p.agencyId === 'promos')?.status;
      return status === 'requested' ? undefined : status;
    }, "promos' acknowledgement at bwi");
    expect(promosAtHome).toBe('acknowledged');
    const approved = await system.call('promos', 'POST', `/inbox/${requestId}/suggestions/approve`, {
      candidates: [{ companyId: 'it-200', rationale: 'Checked by our sector desk: strong fit.' }],
    });
    expect(approved.status).toBe(201);
    const reviewed = await eventually(async () => {
      const d = await detail();
      return d.candidates.some((c) => c.agencyId === 'promos') ? d : undefined;
    }, 'the approved candidate at bwi');
    expect(reviewed.candidates.find((c) => c.agencyId === 'promos')).toMatchObject({
      rationale: 'Checked by our sector desk: strong fit.',
      disclosedName: null,
    });

    // An introduction to the auto-proposed candidate: accio releases the contact kept in its directory.
    const candidateRef = fromAccio[0]?.candidateRef as string;
    await system.call('bwi', 'POST', `/requests/${requestId}/introductions`, {
      candidateRef,
      consent: { givenAt: new Date(Date.now() - 1000).toISOString(), method: 'ELECTRONIC' },
    });
    await eventually(
      async () =>
        (await system.call<{ introductions: unknown[] }>('accio', 'GET', `/inbox/${requestId}`)).body
          .introductions.length
          ? true
          : undefined,
      'the introduction request at accio',
    );
    const accepted = await system.call(
      'accio',
      'POST',
      `/inbox/${requestId}/introductions/${candidateRef}/accept`,
      { consent: { givenAt: new Date(Date.now() - 1000).toISOString(), method: 'WRITTEN' } },
    );
    expect(accepted.status).toBe(201);
    const contact = await eventually(async () => {
      const d = await system.call<{
        introductions: Array<{
          status: string;
          candidateContact: { email: string } | null;
          candidateName: string;
        }>;
      }>('bwi', 'GET', `/requests/${requestId}`);
      return d.body.introductions[0]?.status === 'accepted' ? d.body.introductions[0] : undefined;
    }, 'the acceptance at bwi');
    expect(contact).toMatchObject({
      candidateName: 'Transmisiones Ejemplo SL',
      candidateContact: { email: 'jordi@transmisiones.example' },
    });
  }, 120_000);
});
