import { EventDecodeError } from '@passport/errors';

/**
 * Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id as a big-endian int32,
 * then the Avro binary encoding. Any client that reads the registry can decode it.
 */
const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

export function frame(schemaId: number, avroBody: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, avroBody]);
}

export function unframe(value: Buffer | null | undefined): { schemaId: number; body: Buffer } {
  if (!value || value.length < HEADER_LENGTH) {
    throw new EventDecodeError(
      `message value has ${value?.length ?? 0} bytes; the Confluent wire format needs at least ${HEADER_LENGTH}`,
    );
  }
  if (value.readUInt8(0) !== MAGIC_BYTE) {
    throw new EventDecodeError(
      `message value starts with byte ${value.readUInt8(0)}, not the Confluent magic byte 0`,
    );
  }
  return { schemaId: value.readInt32BE(1), body: value.subarray(HEADER_LENGTH) };
}
