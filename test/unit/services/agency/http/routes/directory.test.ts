import { ITALIAN_GEAR_MAKER_RECORD } from '../../../../../fixtures/directory';
import { agencyHttpForTests, authorized, jsonHeaders } from '../../../../../support/agency-http';

describe('GET /directory', () => {
  const api = agencyHttpForTests('promos');

  beforeAll(async () => {
    const companies = ['it-3', 'it-1', 'it-2'].map((companyId) => ({
      ...ITALIAN_GEAR_MAKER_RECORD,
      companyId,
    }));
    const imported = await api.app.inject({
      method: 'POST',
      url: '/directory/import',
      headers: jsonHeaders,
      payload: companies,
    });
    expect(imported.json().accepted).toBe(3);
  });

  const page = async (query: string) =>
    (await api.app.inject({ method: 'GET', url: `/directory?${query}`, headers: authorized })).json();

  it('pages by offset with the total, and hands out the last id as the next cursor', async () => {
    const first = await page('limit=2');
    expect(first).toMatchObject({ total: 3, offset: 0, limit: 2, next: 'it-2' });
    expect(first.companies.map((c: { companyId: string }) => c.companyId)).toEqual(['it-1', 'it-2']);
    const second = await page(`limit=2&after=${first.next}`);
    expect(second).toMatchObject({ total: 3, offset: null, next: null });
    expect(second.companies.map((c: { companyId: string }) => c.companyId)).toEqual(['it-3']);
    expect((await page('limit=2&offset=2')).companies.map((c: { companyId: string }) => c.companyId)).toEqual(
      ['it-3'],
    );
  });
});
