import { registerSchema } from '@passport/infra/schemas/registry-api';
import { fakeRegistry, registryJson } from '../../../support/fake-registry';

describe('provisioning calls to the registry', () => {
  it('sends again after a 5xx answer and returns the id of the later success', async () => {
    const registry = await fakeRegistry((call) =>
      call === 1 ? registryJson(503, { message: 'busy' }) : registryJson(200, { id: 41 }),
    );
    try {
      await expect(
        registerSchema({ url: registry.url }, 'passport.probe-value', { type: 'string' }),
      ).resolves.toBe(41);
      expect(registry.requests.length).toBe(2);
    } finally {
      await registry.close();
    }
  });

  it('does not repeat a refusal: 409 is an incompatible schema, sent once', async () => {
    const registry = await fakeRegistry(() => registryJson(409, { message: 'Incompatible schema' }));
    try {
      await expect(
        registerSchema({ url: registry.url }, 'passport.probe-value', { type: 'string' }),
      ).rejects.toMatchObject({
        code: 'PASSPORT_SCHEMA_INCOMPATIBLE',
      });
      expect(registry.requests.length).toBe(1);
    } finally {
      await registry.close();
    }
  });

  it('names the call and the count when the registry cannot be reached at all', async () => {
    const registry = await fakeRegistry(() => undefined);
    await registry.close(); // nothing listens on that port any more
    await expect(
      registerSchema({ url: registry.url }, 'passport.probe-value', { type: 'string' }),
    ).rejects.toMatchObject({
      code: 'PASSPORT_PROVISIONING_FAILED',
      message: expect.stringMatching(
        /^POST http:.*\/subjects\/passport\.probe-value\/versions failed 4 times/,
      ),
    });
  });
});
