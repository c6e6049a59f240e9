import { verifyRecord, type TrustList, type VerifiedSender } from '@passport/trust';
import type { KafkaMessage } from 'kafkajs';

/**
 * Who sent a consumed record, established by its signature before anything reads it: the trust list
 * names the key, the signature covers topic, key, value and CloudEvents headers, and the key's agency
 * is the record's ce_source. Throws SignatureRefusedError (never retriable) with the refusal's code.
 */
export function verifySender(
  trustList: TrustList,
  topic: string,
  message: KafkaMessage,
  at: Date,
): VerifiedSender {
  return verifyRecord(
    { topic, key: message.key, value: message.value, headers: message.headers },
    trustList,
    at,
  );
}
