import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerSchema } from '../../../../infra/src/schemas/registry-api';

/** A registry on loopback that answers each request with the next of `answers` (the last one repeats). */
async function scriptedRegistry(answers: Array<(res: ServerResponse) => void>) {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    answer?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const status = (code: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('provisioning calls to the registry', () => {
  it('sends again after a 5xx answer and returns the id of the later success', async () => {
    const registry = await scriptedRegistry([status(503, { message: 'busy' }), status(200, { id: 41 })]);
    try {
      await expect(registerSchema(registry.url, 'passport.probe-value', { type: 'string' })).resolves.toBe(
        41,
      );
      expect(registry.calls()).toBe(2);
    } finally {
      await registry.close();
    }
  });

  it('does not repeat a refusal: 409 is an incompatible schema, sent once', async () => {
    const registry = await scriptedRegistry([status(409, { message: 'Incompatible schema' })]);
    try {
      await expect(
        registerSchema(registry.url, 'passport.probe-value', { type: 'string' }),
      ).rejects.toMatchObject({
        code: 'PASSPORT_SCHEMA_INCOMPATIBLE',
      });
      expect(registry.calls()).toBe(1);
    } finally {
      await registry.close();
    }
  });

  it('names the call and the count when the registry cannot be reached at all', async () => {
    const registry = await scriptedRegistry([]);
    await registry.close(); // nothing listens on that port any more
    await expect(
      registerSchema(registry.url, 'passport.probe-value', { type: 'string' }),
    ).rejects.toMatchObject({
      code: 'PASSPORT_PROVISIONING_FAILED',
      message: expect.stringMatching(
        /^POST http:.*\/subjects\/passport\.probe-value\/versions failed 4 times/,
      ),
    });
  });
});
