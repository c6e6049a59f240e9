import { validateDirectoryFile } from '@passport/agency-service/directory/import';
import { ITALIAN_GEAR_MAKER_RECORD } from '../../../../fixtures/directory';

const HEADER =
  'companyId,name,naceCodes,products,keywords,description_en,description_ca,sizeBand,foundingYear,nutsRegion,languages,partnershipTypes,nameDisclosable,contactName,contactEmail,contactLanguage';

describe('directory import validation', () => {
  it('accepts good rows and reports each bad one with its line and field, without stopping', () => {
    const csv = [
      HEADER,
      'es-001,Transmisiones Ejemplo SL,46.69;28.15@REV_2_1,HS:8483,engranajes;distribución,Distributor of power transmission parts,Distribuïdor de transmissions,MEDIUM,1994,ES511,ca;es;en,DISTRIBUTION,true,Jordi Exemple,jordi@example.com,ca',
      'es-002,Bad Nace SL,2815,,,Gear maker,,SMALL,,ES511,,,no,,,',
      'es-003,Leaky SL,28.15,,,"Call us: +34 93 123 45 67",,SMALL,,ES511,,,no,,,',
      'es-004,Wrong Size SL,28.15,,,Gear maker,,HUGE,2999,ES51,,,no,,,',
      'es-001,Duplicate SL,28.15,,,Gear maker,,SMALL,,ES511,,,no,,,',
    ].join('\n');
    const { accepted, rejected } = validateDirectoryFile(csv, 'csv');
    expect(accepted.map((a) => a.company.companyId)).toEqual(['es-001']);
    expect(accepted[0]?.company).toMatchObject({
      naceCodes: [
        { code: '46.69', revision: 'REV_2' },
        { code: '28.15', revision: 'REV_2_1' },
      ],
      products: [{ scheme: 'HS', code: '8483' }],
      descriptions: { en: 'Distributor of power transmission parts', ca: 'Distribuïdor de transmissions' },
      nameDisclosable: true,
      contact: { fullName: 'Jordi Exemple', email: 'jordi@example.com', preferredLanguage: 'ca' },
    });
    expect(rejected).toEqual([
      expect.objectContaining({
        line: 3,
        companyId: 'es-002',
        field: 'naceCodes',
        message: expect.stringMatching(/^entry 1 "2815" \(code\): must be a NACE/),
      }),
      expect.objectContaining({
        line: 4,
        companyId: 'es-003',
        field: 'description_en',
        message: expect.stringMatching(/phone number/),
      }),
      expect.objectContaining({ line: 5, companyId: 'es-004', field: 'sizeBand' }),
      expect.objectContaining({ line: 5, companyId: 'es-004', field: 'foundingYear' }),
      expect.objectContaining({
        line: 6,
        companyId: 'es-001',
        field: 'companyId',
        message: 'appears earlier in the same file',
      }),
    ]);
  });

  it('names missing and unknown columns before reading rows', () => {
    expect(() => validateDirectoryFile('companyId,name,colour\nx,y,z', 'csv')).toThrow(
      /header\.naceCodes: required column is missing/,
    );
  });

  it('validates JSON arrays record by record', () => {
    const good = ITALIAN_GEAR_MAKER_RECORD;
    const { accepted, rejected } = validateDirectoryFile(
      JSON.stringify([good, { ...good, companyId: 'it-2', descriptions: {} }]),
      'json',
    );
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([
      expect.objectContaining({ line: 2, companyId: 'it-2', field: 'descriptions' }),
    ]);
    expect(() => validateDirectoryFile('{"not": "an array"}', 'json')).toThrow(/must be a JSON array/);
  });
});
