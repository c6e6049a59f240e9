import { avroType, loadNamedSchemas, NAMESPACE, validateIncoming } from '@passport/events';
import { cooperationRequestedSample, outcomeReportedSample } from '../../../../fixtures/events';
import { agencyHttpForTests, createRequestBody, jsonHeaders as json } from '../../../../support/agency-http';

const REQUEST_ID = '6f1c3e0a-2b4d-4e8f-9a1b-3c5d7e9f0a12';
const consent = (method: string) => ({ givenAt: new Date().toISOString(), method });

function requestWith(change: (profile: Record<string, unknown>) => void) {
  const body = createRequestBody();
  body.profile = structuredClone(body.profile);
  change(body.profile);
  return body;
}

describe('UNKNOWN enum values in back-office bodies', () => {
  const api = agencyHttpForTests();

  const cases: Array<[string, unknown, string]> = [
    ['/requests', requestWith((p) => (p.kind = 'UNKNOWN')), 'profile.kind'],
    [
      '/requests',
      requestWith((p) => ((p.firm as Record<string, unknown>).sizeBand = 'UNKNOWN')),
      'profile.firm.sizeBand',
    ],
    [
      '/requests',
      requestWith((p) => ((p.firm as Record<string, unknown>).exportExperience = 'UNKNOWN')),
      'profile.firm.exportExperience',
    ],
    [
      '/requests',
      requestWith((p) => (p.partnershipTypes = ['DISTRIBUTION', 'UNKNOWN'])),
      'profile.partnershipTypes.1',
    ],
    [
      '/requests',
      requestWith((p) => (p.productCodes = [{ scheme: 'UNKNOWN', code: '848340' }])),
      'profile.productCodes.0.scheme',
    ],
    [`/requests/${REQUEST_ID}/close`, { reason: 'UNKNOWN' }, 'reason'],
    [`/requests/${REQUEST_ID}/outcomes`, { outcome: 'UNKNOWN' }, 'outcome'],
    [
      `/requests/${REQUEST_ID}/outcomes`,
      { outcome: 'AGREEMENT_SIGNED', agreementType: 'UNKNOWN' },
      'agreementType',
    ],
    [
      `/requests/${REQUEST_ID}/introductions`,
      { candidateRef: 'aura-1', consent: consent('UNKNOWN') },
      'consent.method',
    ],
    [`/inbox/${REQUEST_ID}/no-candidates`, { reason: 'UNKNOWN' }, 'reason'],
    [`/inbox/${REQUEST_ID}/introductions/aura-1/decline`, { reason: 'UNKNOWN' }, 'reason'],
  ];
  it.each(cases.map(([url, payload, field]) => ({ url, payload, field })))(
    'POST $url refuses UNKNOWN at $field with 400 naming the field',
    async ({ url, payload, field }) => {
      const reply = await api.app.inject({ method: 'POST', url, headers: json, payload: payload as object });
      expect(reply.statusCode).toBe(400);
      const { error } = reply.json();
      expect(error.code).toBe('PASSPORT_BODY_INVALID');
      expect(error.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    },
  );

  it('does not offer UNKNOWN in the OpenAPI document, which still lists the known values', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).body;
    expect(document).toContain('"SUPPLIER"');
    expect(document).toContain('"AGREEMENT_SIGNED"');
    expect(document).not.toContain('"UNKNOWN"');
  });

  it('still accepts the same body with a known value, and UNKNOWN as plain text', async () => {
    const known = requestWith((p) => (p.kind = 'SUPPLIER'));
    known.profile.keywords = ['UNKNOWN', 'gears'];
    const reply = await api.app.inject({ method: 'POST', url: '/requests', headers: json, payload: known });
    expect(reply.statusCode).toBe(201);
  });
});

describe('UNKNOWN in events read from the topics', () => {
  it('is what a reader gets for a symbol a newer writer added, and the contract accepts it', () => {
    const reader = loadNamedSchemas().get(`${NAMESPACE}.RequestKind`) as unknown as { symbols: string[] };
    const newerWriter = { ...reader, symbols: [...reader.symbols.slice(0, -1), 'JOINT_VENTURE', 'UNKNOWN'] };
    const writerType = avroType(newerWriter);
    const readerType = avroType(reader);
    const decoded = readerType.fromBuffer(
      writerType.toBuffer('JOINT_VENTURE'),
      readerType.createResolver(writerType),
    );
    expect(decoded).toBe('UNKNOWN');

    const { profile } = cooperationRequestedSample.payload;
    const incoming = {
      ...cooperationRequestedSample,
      payload: { profile: { ...profile, kind: decoded, firm: { ...profile.firm, sizeBand: 'UNKNOWN' } } },
    };
    expect(() => validateIncoming(incoming)).not.toThrow();
    expect(() =>
      validateIncoming({
        ...outcomeReportedSample,
        payload: { ...outcomeReportedSample.payload, agreementType: 'UNKNOWN' },
      }),
    ).not.toThrow();
  });
});
