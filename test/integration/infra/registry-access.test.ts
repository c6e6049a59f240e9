import { registryCall, createSchemaRegistry, httpCall } from '@passport/bus';
import type { RegistrySettings } from '@passport/config';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { adminConnection, agencyConnection, uniqueName } from '../../support/cluster';

/**
 * Registry writes are the operator's alone, enforced by the registry with tokens from the identity
 * provider: an agency's client looks schemas up exactly as its service does, and every write it tries
 * is refused.
 */
const schemaOf = (name: string) => ({ type: 'record', name, fields: [{ name: 'id', type: 'string' }] });
const body = (schema: object) => ({ schemaType: 'AVRO', schema: JSON.stringify(schema) });

describe('registry access (HTTPS, Keycloak client credentials, role-based)', () => {
  const operator = adminConnection().registry;
  const agency = agencyConnection('bwi').registry;
  const subject = uniqueName('test.access') + '-value';
  const schema = schemaOf('AccessProbe');
  let id: number;

  beforeAll(async () => {
    const answer = await registryCall(operator, `/subjects/${subject}/versions`, {
      method: 'POST',
      body: body(schema),
    });
    expect(answer.status).toBe(200);
    id = (JSON.parse(answer.text) as { id: number }).id;
  });

  afterAll(async () => {
    await registryCall(operator, `/subjects/${subject}`, { method: 'DELETE' });
    await registryCall(operator, `/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  });

  it('serves HTTPS only, with a certificate from the local CA, to clients that hold their own credentials', () => {
    expect(operator.url.startsWith('https://')).toBe(true);
    expect(agency.caFile).toBeDefined();
    expect(agency.username).toBe('bwi');
    expect(agency.password).not.toBe(operator.password);
  });

  it('lets an agency look a schema up the way its codec does (POST lookup, by id)', async () => {
    const registry = createSchemaRegistry(agencyConnection('bwi'));
    await expect(
      registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(schema) }),
    ).resolves.toBe(id);
    expect((await registryCall(agency, `/schemas/ids/${id}`)).status).toBe(200);
  });

  it.each([
    [
      'registers a new version',
      (s: string) => ({
        path: `/subjects/${s}/versions`,
        method: 'POST',
        body: body({ ...schemaOf('AccessProbe'), doc: 'grown' }),
      }),
    ],
    [
      'registers a new subject',
      () => ({
        path: `/subjects/${uniqueName('test.access')}-value/versions`,
        method: 'POST',
        body: body(schemaOf('Other')),
      }),
    ],
    [
      'changes the subject compatibility',
      (s: string) => ({ path: `/config/${s}`, method: 'PUT', body: { compatibility: 'NONE' } }),
    ],
    [
      'changes the default compatibility',
      () => ({ path: '/config', method: 'PUT', body: { compatibility: 'NONE' } }),
    ],
    ['deletes the subject', (s: string) => ({ path: `/subjects/${s}`, method: 'DELETE', body: undefined })],
  ])('refuses an agency that %s', async (_what, request) => {
    const { path, method, body: payload } = request(subject);
    const answer = await registryCall(agency, path, { method, body: payload });
    expect(answer.status).toBe(403);
    // Nothing changed: the subject still has its one version.
    expect(JSON.parse((await registryCall(operator, `/subjects/${subject}/versions`)).text)).toEqual([1]);
  });

  it('refuses anonymous calls and a wrong secret', async () => {
    const anonymous: RegistrySettings = { url: operator.url, caFile: operator.caFile };
    expect((await registryCall(anonymous, '/subjects')).status).toBe(401);
    expect((await registryCall({ ...agency, password: 'not-the-secret-at-all' }, '/subjects')).status).toBe(
      401,
    );
  });

  it('lets the operator change compatibility and register a version', async () => {
    const set = await registryCall(operator, `/config/${subject}`, {
      method: 'PUT',
      body: { compatibility: 'FULL_TRANSITIVE' },
    });
    expect(set.status).toBe(200);
    const grown = {
      ...schemaOf('AccessProbe'),
      fields: [...schemaOf('AccessProbe').fields, { name: 'note', type: ['null', 'string'], default: null }],
    };
    const added = await registryCall(operator, `/subjects/${subject}/versions`, {
      method: 'POST',
      body: body(grown),
    });
    expect(added.status).toBe(200);
    expect(JSON.parse((await registryCall(operator, `/subjects/${subject}/versions`)).text)).toEqual([1, 2]);
  });

  it('refuses plain HTTP and a certificate the client cannot verify', async () => {
    const plain = operator.url.replace('https://', 'http://');
    await expect(httpCall(`${plain}/subjects`, { timeoutMs: 3_000 }).then((a) => a.status)).rejects.toThrow();
    // Without the local CA the system's CAs do not vouch for the registry.
    await expect(registryCall({ url: operator.url }, '/subjects')).rejects.toThrow(/certificate/i);
  });
});
