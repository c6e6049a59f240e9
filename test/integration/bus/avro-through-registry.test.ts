import { randomUUID } from 'node:crypto';
import { createKafka, createSchemaRegistry, createTopicsWhenReadable } from '@passport/bus';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { logLevel, Partitioners } from 'kafkajs';
import { adminConnection, uniqueName } from '../../support/cluster';

const sampleSchema = {
  type: 'record',
  name: 'RegistryProbe',
  namespace: 'eu.fourmotors.passport.test',
  fields: [
    { name: 'requestId', type: 'string' },
    { name: 'sector', type: 'string' },
    { name: 'employees', type: 'int' },
  ],
};

describe('Avro through the schema registry (Confluent-compatible API)', () => {
  const registry = createSchemaRegistry(adminConnection());

  it('registers a schema, encodes in Confluent wire format and decodes it back through Kafka', async () => {
    const topic = uniqueName('test.avro');
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(sampleSchema) },
      { subject: `${topic}-value` },
    );
    const value = { requestId: randomUUID(), sector: 'C28.4', employees: 42 };
    const encoded = await registry.encode(id, value);
    // Confluent wire format: magic byte 0, then the schema id as a big-endian int32, then Avro binary.
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    const kafka = createKafka(adminConnection(), { clientId: 'avro-it', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: uniqueName('test.avro') });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      await createTopicsWhenReadable(admin, [{ topic, numPartitions: 1 }]);
      await producer.send({ topic, acks: -1, messages: [{ key: value.requestId, value: encoded }] });
      await consumer.subscribe({ topic, fromBeginning: true });
      const decoded = await new Promise<unknown>((resolvePromise) => {
        void consumer.run({
          eachMessage: async ({ message }) => resolvePromise(await registry.decode(message.value as Buffer)),
        });
      });
      expect(decoded).toEqual(value);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('refuses a change that breaks FULL_TRANSITIVE compatibility, naming the field', async () => {
    const subject = `${uniqueName('test.compat')}-value`;
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(sampleSchema) }, { subject });
    const breaking = {
      ...sampleSchema,
      // A new field without a default cannot be read from old data: not backward compatible.
      fields: [...sampleSchema.fields, { name: 'foundingYear', type: 'int' }],
    };
    const attempt = registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(breaking) },
      { subject },
    );
    await expect(attempt).rejects.toMatchObject({ status: 409 });
    await expect(attempt).rejects.toThrow(/foundingYear/);
  });
});
