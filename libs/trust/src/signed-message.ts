import type { RecordSigner } from './agency-keys';
import { signRecord } from './record-signature';

/** A record as kafkajs producers take it from `toKafkaMessage`: text key and headers, bytes value. */
export interface OutgoingRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The same record with the sender's signature header added, for `topic`. Text headers in give text
 * headers out (signRecord keeps each value as it was), so the result goes to kafkajs unchanged.
 */
export function signOutgoing<M extends OutgoingRecord>(topic: string, message: M, signer: RecordSigner): M {
  const headers = signRecord(
    { topic, key: message.key, value: message.value, headers: message.headers },
    signer,
  ) as Record<string, string>;
  return { ...message, headers };
}
