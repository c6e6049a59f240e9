import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { passport } from '../../../support/console';

/** What the fake agency service saw of each call. */
interface SeenCall {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: string;
}

let server: Server;
let service: string;
const seen: SeenCall[] = [];
/** The next answer the fake service gives. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      body: await bodyOf(request),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  answer = { status: 200, body: {} };
  process.env.PASSPORT_API_KEY = 'test-api-key';
});
afterEach(() => {
  delete process.env.PASSPORT_API_KEY;
});

describe('passport erase', () => {
  it("erases a request at the home agency through its API, with the agency's key and a stable idempotency key", async () => {
    answer = { status: 200, body: { requestId: 'r-1', erased: ['firm', 'introductions'] } };
    const result = await passport(['erase', 'request', 'r-1', '--service', service, '--yes']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/requests/r-1/erasure',
        authorization: 'Bearer test-api-key',
        idempotencyKey: 'erase-request-r-1',
        body: '{}',
      },
    ]);
    expect(result.out).toContain('erased the firm and every introduction of request r-1');
    expect(result.out).toContain('"erased":["firm","introductions"]');
  });

  it('erases a candidate at the partner', async () => {
    answer = { status: 200, body: { ok: true } };
    const result = await passport(['erase', 'candidate', 'r-2', 'cand_7', '--service', service, '--yes']);
    expect(result.code).toBe(0);
    expect(seen.map((call) => [call.url, call.idempotencyKey])).toEqual([
      ['/inbox/r-2/introductions/cand_7/erasure', 'erase-candidate-r-2-cand_7'],
    ]);
  });

  it("reports the service's refusal with its code and exits 1", async () => {
    answer = {
      status: 409,
      body: { error: { code: 'PASSPORT_CONFLICT', message: 'request r-3 is still open: close it first' } },
    };
    const result = await passport(['erase', 'request', 'r-3', '--service', service, '--yes']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /HTTP 409 PASSPORT_CONFLICT: request r-3 is still open: close it first.*\[PASSPORT_ERASURE_REFUSED\]$/,
    );
  });

  it('asks at a terminal and erases nothing unless the answer is "erase"', async () => {
    const declined = await passport(['erase', 'request', 'r-4', '--service', service], {}, 'yes');
    expect(declined.code).toBe(0);
    expect(declined.err).toContain('not erased');
    const accepted = await passport(['erase', 'request', 'r-4', '--service', service], {}, 'erase');
    expect(accepted.code).toBe(0);
    expect(seen.map((call) => call.url)).toEqual(['/requests/r-4/erasure']);
  });

  it.each([
    [['erase', 'request', 'r-5', '--service', 'SERVICE'], 'confirm with --yes'],
    [['erase', 'request', 'r-5', '--yes'], '--service <url> is required'],
    [
      ['erase', 'request', 'r-5', '--service', 'http://agency.example:18101', '--yes'],
      'https, or http on loopback',
    ],
    [['erase', 'request', 'r/../x', '--service', 'SERVICE', '--yes'], '<requestId> must be'],
    [['erase', 'firm', 'r-5', '--service', 'SERVICE', '--yes'], 'erase needs "request <requestId>"'],
    [['erase', 'candidate', 'r-5', '--service', 'SERVICE', '--yes'], 'erase needs "request <requestId>"'],
  ])('refuses %j before any call: %s', async (args, message) => {
    const result = await passport(args.map((arg) => (arg === 'SERVICE' ? service : arg)));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(seen).toEqual([]);
  });

  it('refuses without PASSPORT_API_KEY, naming it', async () => {
    delete process.env.PASSPORT_API_KEY;
    const result = await passport(['erase', 'request', 'r-6', '--service', service, '--yes']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('PASSPORT_API_KEY');
    expect(seen).toEqual([]);
  });
});
