import { DEFAULT_BODY_LIMIT_BYTES } from '@passport/agency-service/http/json-limits';
import { ITALIAN_GEAR_MAKER_RECORD } from '../../../../fixtures/directory';
import {
  agencyHttpForTests,
  authorized,
  createRequestBody,
  jsonHeaders as json,
} from '../../../../support/agency-http';

const DEEP = 100_000;

describe('JSON limits of the agency API', () => {
  const api = agencyHttpForTests();

  it('accepts a valid request body, so the refusals below are about the limits alone', async () => {
    const reply = await api.app.inject({
      method: 'POST',
      url: '/requests',
      headers: json,
      payload: createRequestBody(),
    });
    expect(reply.statusCode).toBe(201);
  });

  it.each([
    ['arrays', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`],
    ['objects', `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`],
  ])('refuses a body of %s nested 100,000 deep with 400 PASSPORT_BODY_TOO_DEEP', async (_kind, payload) => {
    const reply = await api.app.inject({ method: 'POST', url: '/requests', headers: json, payload });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.code).toBe('PASSPORT_BODY_TOO_DEEP');
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const body = createRequestBody();
    body.profile.summary = `${'[{'.repeat(40)} a summary with brackets`;
    const reply = await api.app.inject({ method: 'POST', url: '/requests', headers: json, payload: body });
    expect(reply.statusCode).toBe(201);
  });

  it('refuses a body over 1 MiB with 413 PASSPORT_BODY_TOO_LARGE naming the limit', async () => {
    const body = createRequestBody();
    body.profile.description = 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES);
    const reply = await api.app.inject({ method: 'POST', url: '/requests', headers: json, payload: body });
    expect(reply.statusCode).toBe(413);
    expect(reply.json().error).toEqual({
      code: 'PASSPORT_BODY_TOO_LARGE',
      message: expect.stringContaining(String(DEFAULT_BODY_LIMIT_BYTES)),
    });
  });

  it('lets the directory import take bodies over 1 MiB, as CSV and as JSON, but not deep ones', async () => {
    const description = 'Machining of gears. '.repeat(Math.ceil((DEFAULT_BODY_LIMIT_BYTES * 1.5) / 20));
    const csv = `companyId,name,naceCodes,sizeBand,nutsRegion,description_en\nc-1,Big Text GmbH,28.15,SMALL,DE11,${description}\n`;
    const fromCsv = await api.app.inject({
      method: 'POST',
      url: '/directory/import',
      headers: { ...authorized, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(fromCsv.statusCode).toBe(200);
    expect(fromCsv.json().received).toBe(1);
    const fromJson = await api.app.inject({
      method: 'POST',
      url: '/directory/import',
      headers: json,
      payload: [{ ...ITALIAN_GEAR_MAKER_RECORD, descriptions: { en: description } }],
    });
    expect(fromJson.statusCode).toBe(200);
    expect(fromJson.json().received).toBe(1);
    const deep = await api.app.inject({
      method: 'POST',
      url: '/directory/import',
      headers: json,
      payload: `[${'['.repeat(DEEP)}${']'.repeat(DEEP)}]`,
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.code).toBe('PASSPORT_BODY_TOO_DEEP');
  });
});
