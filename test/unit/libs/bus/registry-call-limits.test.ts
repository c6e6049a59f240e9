import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { createSchemaRegistry } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { EventCodec, REGISTRY_AVRO_OPTIONS, type EventTopic } from '@passport/events';

const SCHEMA = {
  type: SchemaType.AVRO,
  schema: JSON.stringify({ type: 'record', name: 'Probe', fields: [] }),
} as const;

/** A registry on loopback that leaves the first `silentCalls` requests unanswered, then answers. */
async function flakyRegistry(silentCalls: number, answer: (res: ServerResponse) => void) {
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    if (requests.length > silentCalls) answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const settings = { registry: { url: `http://127.0.0.1:${port}` } } as ConnectionSettings;
  return {
    settings,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (status: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
  res.end(JSON.stringify(body));
};

describe('registry calls have a time limit and are retried', () => {
  it('sends an unanswered lookup (a POST) again and returns the answer of a later attempt', async () => {
    const registry = await flakyRegistry(2, json(200, { id: 7, version: 1, subject: 's', schema: '{}' }));
    try {
      const client = createSchemaRegistry(registry.settings, undefined, { timeoutMs: 200, retries: 3 });
      await expect(client.getRegistryIdBySchema('passport.probe-value', SCHEMA)).resolves.toBe(7);
      expect(registry.requests).toEqual(Array(3).fill('POST /subjects/passport.probe-value'));
    } finally {
      await registry.close();
    }
  });

  it('gives up after the retries with an error that says it timed out, instead of waiting forever', async () => {
    const registry = await flakyRegistry(Infinity, () => undefined);
    try {
      const client = createSchemaRegistry(registry.settings, undefined, { timeoutMs: 100, retries: 2 });
      await expect(client.getRegistryIdBySchema('passport.probe-value', SCHEMA)).rejects.toThrow(/Timeout/);
      expect(registry.requests).toHaveLength(3);
    } finally {
      await registry.close();
    }
  });

  it('does not repeat a call the registry refused (4xx)', async () => {
    const registry = await flakyRegistry(0, json(404, { error_code: 40403, message: 'Schema not found' }));
    try {
      const client = createSchemaRegistry(registry.settings, undefined, { timeoutMs: 1_000, retries: 3 });
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
    const registry = await flakyRegistry(0, json(404, { error_code: 40403, message: 'Schema not found' }));
    try {
      const client = createSchemaRegistry(registry.settings, REGISTRY_AVRO_OPTIONS, { timeoutMs: 1_000 });
      await expect(EventCodec.create(client, outcomes)).rejects.toMatchObject({
        code: 'PASSPORT_SCHEMA_NOT_REGISTERED',
      });
    } finally {
      await registry.close();
    }
  });

  it('says the registry is unavailable when it does not answer, naming the subject and the timeout', async () => {
    const registry = await flakyRegistry(Infinity, () => undefined);
    try {
      const client = createSchemaRegistry(registry.settings, REGISTRY_AVRO_OPTIONS, {
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
