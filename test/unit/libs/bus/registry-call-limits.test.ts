import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { createSchemaRegistry } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, type EventTopic } from '@passport/events';
import { fakeRegistry, registryJson } from '../../../support/fake-registry';

const SCHEMA = {
  type: SchemaType.AVRO,
  schema: JSON.stringify({ type: 'record', name: 'Probe', fields: [] }),
} as const;

/** Client settings pointing at a fake registry. */
const at = (url: string) => ({ registry: { url } }) as ConnectionSettings;
const never = () => undefined;

describe('registry calls have a time limit and are retried', () => {
  it('sends an unanswered lookup (a POST) again and returns the answer of a later attempt', async () => {
    const registry = await fakeRegistry((call) =>
      call > 2 ? registryJson(200, { id: 7, version: 1, subject: 's', schema: '{}' }) : undefined,
    );
    try {
      const client = createSchemaRegistry(at(registry.url), undefined, { timeoutMs: 200, retries: 3 });
      await expect(client.getRegistryIdBySchema('passport.probe-value', SCHEMA)).resolves.toBe(7);
      expect(registry.requests).toEqual(Array(3).fill('POST /subjects/passport.probe-value'));
    } finally {
      await registry.close();
    }
  });

  it('gives up after the retries with an error that says it timed out, instead of waiting forever', async () => {
    const registry = await fakeRegistry(never);
    try {
      const client = createSchemaRegistry(at(registry.url), undefined, { timeoutMs: 100, retries: 2 });
      await expect(client.getRegistryIdBySchema('passport.probe-value', SCHEMA)).rejects.toThrow(/Timeout/);
      expect(registry.requests).toHaveLength(3);
    } finally {
      await registry.close();
    }
  });

  it('does not repeat a call the registry refused (4xx)', async () => {
    const registry = await fakeRegistry(() =>
      registryJson(404, { error_code: 40403, message: 'Schema not found' }),
    );
    try {
      const client = createSchemaRegistry(at(registry.url), undefined, { timeoutMs: 1_000, retries: 3 });
      await expect(client.getRegistryIdBySchema('passport.probe-value', SCHEMA)).rejects.toThrow(
        /Schema not found/,
      );
      expect(registry.requests).toHaveLength(1);
    } finally {
      await registry.close();
    }
  });
});

describe('the event codec at start-up', () => {
  const outcomes = ['passport.outcomes.v1' as EventTopic];

  it('says the schema is not registered only when the registry answers 404', async () => {
    const registry = await fakeRegistry(() =>
      registryJson(404, { error_code: 40403, message: 'Schema not found' }),
    );
    try {
      const client = createSchemaRegistry(at(registry.url), REGISTRY_AVRO_OPTIONS, {
        timeoutMs: 1_000,
        retries: 3,
      });
      await expect(EventCodec.create(client, outcomes)).rejects.toMatchObject({
        code: 'PASSPORT_SCHEMA_NOT_REGISTERED',
      });
    } finally {
      await registry.close();
    }
  });

  it('says the registry is unavailable when it does not answer, naming the subject and the timeout', async () => {
    const registry = await fakeRegistry(never);
    try {
      const client = createSchemaRegistry(at(registry.url), REGISTRY_AVRO_OPTIONS, {
        timeoutMs: 100,
        retries: 1,
      });
      await expect(EventCodec.create(client, outcomes)).rejects.toMatchObject({
        code: 'PASSPORT_REGISTRY_UNAVAILABLE',
        retriable: true,
        message: expect.stringMatching(/looking up passport\.outcomes\.v1-value: .*Timeout \(100ms\)/),
      });
    } finally {
      await registry.close();
    }
  });
});
