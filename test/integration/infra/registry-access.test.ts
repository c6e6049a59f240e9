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

/** A call of Apicurio's own REST API (`/apis/registry/v3`, `/apis/registry/v2`) beside the ccompat one. */
function coreCall(registry: RegistrySettings, path: string, method: string, payload: unknown) {
  const root = registry.url.replace(/\/apis\/ccompat\/v7\/?$/, '');
  const { username, password, caFile } = registry;
  return httpCall(`${root}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    ...(caFile ? { caFile } : {}),
    ...(username && password ? { basicAuth: { username, password } } : {}),
  });
}

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

  interface Attempt {
    /** `ccompat` paths are under the Confluent-compatible API; `core` ones start with /apis/registry/… */
    api: 'ccompat' | 'core';
    path: string;
    method: string;
    body: unknown;
  }
  const ccompat = (path: string, method: string, payload?: unknown): Attempt => ({
    api: 'ccompat',
    path,
    method,
    body: payload,
  });
  const core = (path: string, method: string, payload?: unknown): Attempt => ({
    api: 'core',
    path,
    method,
    body: payload,
  });
  const v3Artifact = (s: string) => `/apis/registry/v3/groups/default/artifacts/${s}`;

  it.each<[string, (s: string) => Attempt]>([
    [
      'registers a new version',
      (s) => ccompat(`/subjects/${s}/versions`, 'POST', body({ ...schemaOf('AccessProbe'), doc: 'grown' })),
    ],
    [
      'registers a new subject',
      () => ccompat(`/subjects/${uniqueName('test.access')}-value/versions`, 'POST', body(schemaOf('Other'))),
    ],
    ['changes the subject compatibility', (s) => ccompat(`/config/${s}`, 'PUT', { compatibility: 'NONE' })],
    ['changes the default compatibility', () => ccompat('/config', 'PUT', { compatibility: 'NONE' })],
    ['deletes the subject compatibility', (s) => ccompat(`/config/${s}`, 'DELETE')],
    ['deletes the subject', (s) => ccompat(`/subjects/${s}`, 'DELETE')],
    ['deletes a version', (s) => ccompat(`/subjects/${s}/versions/1`, 'DELETE')],
    [
      'creates an artifact through the core v3 API',
      () =>
        core('/apis/registry/v3/groups/default/artifacts', 'POST', {
          artifactId: uniqueName('test.access-core'),
          artifactType: 'AVRO',
          firstVersion: {
            content: { content: JSON.stringify(schemaOf('Core')), contentType: 'application/json' },
          },
        }),
    ],
    [
      'adds a version through the core v3 API',
      (s) =>
        core(`${v3Artifact(s)}/versions`, 'POST', {
          content: {
            content: JSON.stringify({ ...schemaOf('AccessProbe'), doc: 'core' }),
            contentType: 'application/json',
          },
        }),
    ],
    [
      'disables a version through the core v3 API',
      (s) => core(`${v3Artifact(s)}/versions/1/state`, 'PUT', { state: 'DISABLED' }),
    ],
    ['deletes the artifact through the core v3 API', (s) => core(v3Artifact(s), 'DELETE')],
    [
      'adds a global rule through the core v3 API',
      () => core('/apis/registry/v3/admin/rules', 'POST', { ruleType: 'VALIDITY', config: 'NONE' }),
    ],
    [
      'changes a registry setting through the core v3 API',
      () =>
        core('/apis/registry/v3/admin/config/properties/apicurio.ccompat.legacy-id-mode.enabled', 'PUT', {
          value: 'true',
        }),
    ],
    [
      'creates an artifact through the core v2 API',
      () => core('/apis/registry/v2/groups/default/artifacts', 'POST', schemaOf('CoreV2')),
    ],
  ])('refuses an agency that %s', async (_what, attempt) => {
    const { api, path, method, body: payload } = attempt(subject);
    const answer =
      api === 'ccompat'
        ? await registryCall(agency, path, { method, body: payload })
        : await coreCall(agency, path, method, payload);
    expect({ status: answer.status, path }).toEqual({ status: 403, path });
    // Nothing changed: the subject still has its one version, enabled, under its own compatibility.
    expect(JSON.parse((await registryCall(operator, `/subjects/${subject}/versions`)).text)).toEqual([1]);
    expect((await registryCall(operator, `/subjects/${subject}/versions/1`)).status).toBe(200);
  });

  it("lets an agency read through the core v3 API, so the refusals above are the role's, not a wrong path", async () => {
    const read = await coreCall(
      agency,
      `/apis/registry/v3/groups/default/artifacts/${subject}/versions`,
      'GET',
      undefined,
    );
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toMatchObject({
      count: 1,
      versions: [expect.objectContaining({ version: '1' })],
    });
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
