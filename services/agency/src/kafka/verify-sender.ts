import { VerifyAhead, type VerifiedSender } from '@passport/trust';
import type { KafkaMessage } from 'kafkajs';
import { trustListOf, type TrustSource } from '../live-trust-list';

/** Who sent the batch's message `index` (judged at `at`), and with which key; asked in offset order. */
export type BatchSenders = (index: number, at: Date) => Promise<{ signer: string; keyId?: string }>;

/**
 * Who sent each message of a fetched batch, established by its signature before anything reads it:
 * the trust list of the moment the message's turn comes names the key, the signature covers topic,
 * key, value and CloudEvents headers, and the key's agency is the message's ce_source. A refusal
 * throws SignatureRefusedError (never retriable) with its code. The batch's signatures are checked
 * ahead on the thread pool (VerifyAhead) while earlier messages are decoded and applied; each verdict
 * is the one verifyRecord gives at that turn. `benchOnlyUnverifiedSender` (the pipeline benchmark's
 * baseline, never set by the service) takes the sender from the message instead.
 */
export function batchSenders(
  trustSource: TrustSource,
  topic: string,
  messages: readonly KafkaMessage[],
  benchOnlyUnverifiedSender?: (message: KafkaMessage) => string,
): BatchSenders {
  if (benchOnlyUnverifiedSender)
    return async (index) => ({ signer: benchOnlyUnverifiedSender(messages[index] as KafkaMessage) });
  const ahead = new VerifyAhead(
    messages.map((message) => ({ topic, key: message.key, value: message.value, headers: message.headers })),
    trustListOf(trustSource),
  );
  return async (index, at): Promise<VerifiedSender> => ahead.verdict(index, trustListOf(trustSource), at);
}
