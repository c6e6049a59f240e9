import { candidate } from '@passport/events';
import { validateDirectoryFile } from '@passport/agency-service/directory/import';
import { toCandidate } from '@passport/agency-service/matching/to-candidate';
import { ITALIAN_GEAR_MAKER_RECORD } from '../../../../fixtures/directory';

const HEADER =
  'companyId,name,naceCodes,products,description_en,sizeBand,nutsRegion,partnershipTypes,certifications,nameDisclosable,contactName,contactRole,contactEmail,contactPhone,contactLanguage';
const row = (overrides: Record<string, string>) => {
  const cells: Record<string, string> = {
    companyId: 'es-1',
    name: 'Engranajes Ejemplo SL',
    naceCodes: '28.15',
    products: 'HS:8483',
    description_en: 'Gear maker',
    sizeBand: 'SMALL',
    nutsRegion: 'ES511',
    partnershipTypes: 'DISTRIBUTION',
    certifications: 'ISO 9001',
    nameDisclosable: 'true',
    contactName: '',
    contactRole: '',
    contactEmail: '',
    contactPhone: '',
    contactLanguage: '',
    ...overrides,
  };
  return HEADER.split(',')
    .map((column) => cells[column])
    .join(',');
};
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

const JSON_COMPANY = ITALIAN_GEAR_MAKER_RECORD;

describe('directory import: what may leave the agency', () => {
  it('refuses contact data in a disclosable name, which partners would see as disclosedName', () => {
    const { accepted, rejected } = validateDirectoryFile(
      csv(
        row({ companyId: 'es-1', name: 'Gears info@acme.de' }),
        row({ companyId: 'es-2', name: 'Gears +49 711 1234567', nameDisclosable: 'false' }),
      ),
      'csv',
    );
    expect(rejected).toEqual([
      {
        line: 2,
        companyId: 'es-1',
        field: 'name',
        message: expect.stringMatching(/personal data \(found an e-mail address\) while nameDisclosable/),
      },
    ]);
    expect(accepted.map((a) => a.company.companyId)).toEqual(['es-2']);
  });

  it('reports a disclosable name with contact data even when other fields of the row fail too', () => {
    const { rejected } = validateDirectoryFile(
      JSON.stringify([
        { ...JSON_COMPANY, name: 'Call 0711 123456', nameDisclosable: true, sizeBand: 'HUGE' },
      ]),
      'json',
    );
    expect(rejected.map((r) => r.field).sort()).toEqual(['name', 'sizeBand']);
  });

  it('takes certifications as the contract does: a registration number is not a phone number', () => {
    const { accepted, rejected } = validateDirectoryFile(
      csv(row({ certifications: 'ISO 9001:2015 (TÜV Reg. 01 100 1234567)' })),
      'csv',
    );
    expect(rejected).toEqual([]);
    expect(accepted[0]?.company.certifications).toEqual(['ISO 9001:2015 (TÜV Reg. 01 100 1234567)']);
  });
  it('accepts only companies whose candidate the event contract accepts', () => {
    const { accepted } = validateDirectoryFile(
      csv(
        row({ companyId: 'es-1' }),
        row({ companyId: 'es-2', name: 'Gears Ltd (est. 1994)' }),
        row({ companyId: 'es-3', name: 'Gears info@acme.de' }),
        row({ companyId: 'es-4', description_en: 'Gears; ring 0711 123456' }),
      ),
      'csv',
    );
    expect(accepted.map((a) => a.company.companyId)).toEqual(['es-1', 'es-2']);
    for (const { company } of accepted) {
      const reply = toCandidate(company, { candidateRef: 'accio-1', score: 0.8, rationale: '' }, ['en']);
      expect(candidate.safeParse(reply).error?.issues).toBeUndefined();
    }
  });
});

describe('directory import: unclosed quotes', () => {
  it('rejects the row naming the line the quote opened on, and still imports the rows after it', () => {
    const { accepted, rejected } = validateDirectoryFile(
      csv(row({ companyId: 'a1', name: '"Acme, Inc' }), row({ companyId: 'a2' }), row({ companyId: 'a3' })),
      'csv',
    );
    expect(rejected).toEqual([
      {
        line: 2,
        companyId: 'a1',
        field: 'name',
        message: expect.stringMatching(/^quote opened on line 2 is never closed; .*resumes on line 3/),
      },
    ]);
    expect(accepted.map((a) => [a.line, a.company.companyId])).toEqual([
      [3, 'a2'],
      [4, 'a3'],
    ]);
  });

  it('refuses a file whose header has an unclosed quote', () => {
    expect(() => validateDirectoryFile('companyId,"name\nx,y', 'csv')).toThrow(/quote opened on line 1/);
  });

  it('rejects a row with more fields than the header instead of dropping the extra values', () => {
    const { rejected } = validateDirectoryFile(csv(`${row({})},stray value`), 'csv');
    expect(rejected).toEqual([
      expect.objectContaining({ line: 2, field: 'column 16', message: expect.stringMatching(/16 fields/) }),
    ]);
    expect(validateDirectoryFile(csv(`${row({})},,`), 'csv').rejected).toEqual([]);
  });
});

describe('directory import: contact details', () => {
  it.each([
    ['contactEmail', 'jordi@example.com'],
    ['contactPhone', '+34931234567'],
    ['contactRole', 'Export manager'],
  ])('rejects %s without contactName rather than dropping it', (column, value) => {
    const { accepted, rejected } = validateDirectoryFile(
      csv(row({ [column]: value, contactEmail: 'jordi@example.com', contactLanguage: 'ca' })),
      'csv',
    );
    expect(accepted).toEqual([]);
    expect(rejected).toEqual([
      expect.objectContaining({
        field: 'contactName',
        message: 'is required when any contact detail is given',
      }),
    ]);
  });

  it('names contact columns as in the CSV header, and JSON paths for JSON', () => {
    const bad = {
      contactName: 'Jordi',
      contactEmail: 'jordi',
      contactPhone: '931234567',
      contactLanguage: 'ca',
    };
    expect(validateDirectoryFile(csv(row(bad)), 'csv').rejected.map((r) => r.field)).toEqual([
      'contactEmail',
      'contactPhone',
    ]);
    const contact = { fullName: 'Jordi', email: 'jordi', phone: '931234567', preferredLanguage: 'ca' };
    expect(
      validateDirectoryFile(JSON.stringify([{ ...JSON_COMPANY, contact }]), 'json').rejected.map(
        (r) => r.field,
      ),
    ).toEqual(['contact.email', 'contact.phone']);
  });
});

describe('directory import: UNKNOWN is for newer event writers, not for directories', () => {
  it.each([
    ['naceCodes', '28.15@UNKNOWN', 'entry 1 "28.15@UNKNOWN" (revision): must be one of REV_2, REV_2_1'],
    ['products', 'UNKNOWN:zz', 'entry 1 "UNKNOWN:zz" (scheme): must be one of HS, CPV'],
    ['sizeBand', 'UNKNOWN', 'must be one of MICRO, SMALL, MEDIUM, LARGE'],
    [
      'partnershipTypes',
      'DISTRIBUTION;UNKNOWN',
      expect.stringMatching(/^entry 2 "UNKNOWN": must be one of COMMERCIAL_AGENCY, .*, OTHER$/),
    ],
  ])('refuses %s %s and lists the allowed values', (column, value, message) => {
    expect(validateDirectoryFile(csv(row({ [column]: value })), 'csv').rejected).toEqual([
      { line: 2, companyId: 'es-1', field: column, message },
    ]);
  });

  it('refuses UNKNOWN in JSON with the JSON path', () => {
    const company = {
      ...JSON_COMPANY,
      naceCodes: [{ code: '28.15', revision: 'UNKNOWN' }],
      sizeBand: 'UNKNOWN',
    };
    expect(validateDirectoryFile(JSON.stringify([company]), 'json').rejected).toEqual([
      expect.objectContaining({ field: 'naceCodes.0.revision', message: 'must be one of REV_2, REV_2_1' }),
      expect.objectContaining({ field: 'sizeBand', message: 'must be one of MICRO, SMALL, MEDIUM, LARGE' }),
    ]);
  });
});

describe('directory import: CSV rejections name CSV columns', () => {
  it('names description columns as in the header', () => {
    const { rejected } = validateDirectoryFile(
      csv(
        row({ companyId: 'es-1', description_en: 'Mail sales@gears.example' }),
        row({ companyId: 'es-2', description_en: '' }),
      ),
      'csv',
    );
    expect(rejected.map((r) => [r.companyId, r.field])).toEqual([
      ['es-1', 'description_en'],
      ['es-2', 'description_*'],
    ]);
  });

  it('keeps JSON paths for JSON imports', () => {
    const company = { ...JSON_COMPANY, descriptions: { en: 'Mail sales@gears.example' } };
    expect(validateDirectoryFile(JSON.stringify([company]), 'json').rejected).toEqual([
      expect.objectContaining({ field: 'descriptions.en' }),
    ]);
  });
});
