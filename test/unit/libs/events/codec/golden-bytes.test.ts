import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { avroType, definitionOf, topicSchema, validateOutgoing, type EventTopic } from '@passport/events';
import { fromAvroRecord, toAvroRecord, unionShapeOf } from '@passport/events/codec/avro-mapping';
import { CONTRACT_SAMPLES } from '../../../../fixtures/events';

/**
 * The Avro body (after the 5-byte wire header, whose schema id depends on the registry) of each sample
 * event, as committed hex. An accidental change of the wire format — a field reordered, a type changed —
 * changes these bytes and fails here. After a deliberate, released schema change, regenerate with
 * UPDATE_GOLDEN=1 npm run test:unit and review the diff.
 */
const GOLDEN_DIR = join(__dirname, '..', '..', '..', '..', 'fixtures', 'golden');

describe.each(CONTRACT_SAMPLES.map((sample) => [sample.type, sample] as const))(
  'golden bytes of %s',
  (type, sample) => {
    const topic = definitionOf(type)?.topic as EventTopic;
    const avro = avroType(topicSchema(topic));
    const shape = unionShapeOf(avro);
    const event = validateOutgoing(sample);
    const bytes = avro.toBuffer(toAvroRecord(event as never, shape));
    const file = join(GOLDEN_DIR, `${type}.v1.hex`);

    it('encodes to the committed bytes', () => {
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${bytes.toString('hex')}\n`);
      expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
      expect(bytes.toString('hex')).toBe(readFileSync(file, 'utf8').trim());
    });

    it('decodes the committed bytes back to the same event', () => {
      const golden = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
      expect(
        validateOutgoing(fromAvroRecord(avro.fromBuffer(golden) as Record<string, unknown>, shape)),
      ).toEqual(event);
    });
  },
);
