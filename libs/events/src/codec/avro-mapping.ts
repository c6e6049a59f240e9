import type * as avro from 'avsc';
import { NAMESPACE } from '../schema/schema-files';

/**
 * Between the in-memory event `{ …metadata, type, payload }` and the topic record, whose `payload` is an
 * Avro union of event records. avsc wraps a union of several records as `{ "<full name>": value }`; a
 * union of one record (a topic with one event type) stays unwrapped.
 */
export interface UnionShape {
  wrapped: boolean;
  branchNames: string[];
}

export function unionShapeOf(recordType: avro.Type): UnionShape {
  const payloadType = (recordType as avro.types.RecordType).field('payload')?.type as
    avro.types.UnwrappedUnionType | undefined;
  if (!payloadType) throw new Error(`${recordType.name} has no payload field`);
  return {
    wrapped: payloadType.typeName === 'union:wrapped',
    branchNames: payloadType.types.map((branch) => branch.name ?? branch.typeName),
  };
}

const shortName = (fullName: string) => fullName.slice(fullName.lastIndexOf('.') + 1);

export function toAvroRecord(
  event: { type: string; payload: unknown } & Record<string, unknown>,
  shape: UnionShape,
): Record<string, unknown> {
  const { type, payload, ...metadata } = event;
  const branch = `${NAMESPACE}.${type}`;
  return { ...metadata, payload: shape.wrapped ? { [branch]: payload } : payload };
}

export function fromAvroRecord(record: Record<string, unknown>, shape: UnionShape): Record<string, unknown> {
  const { payload, ...metadata } = record;
  if (!shape.wrapped) return { ...metadata, type: shortName(shape.branchNames[0] ?? ''), payload };
  const [branch, value] = Object.entries(payload as Record<string, unknown>)[0] ?? [];
  return { ...metadata, type: shortName(branch ?? ''), payload: value };
}
