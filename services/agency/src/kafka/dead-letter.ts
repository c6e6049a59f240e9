import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf } from '@passport/config';
import { isPassportError } from '@passport/errors';
import type { KafkaMessage, Producer } from 'kafkajs';
import { fitDeadLetter, headerPairs } from './dead-letter-size';

export interface DeadLetterContext {
  /** The agency whose consumer parks the message: its own dead-letter topic is the only one it may write. */
  agencyId: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  error: unknown;
}

/** Error messages of ours name fields and rules, never values; still, keep the header short. */
const MAX_REASON = 500;

/**
 * Sends the original message to the agency's dead-letter topic with headers saying what went wrong
 * and where it came from, so an admin can inspect and redrive it. The bytes are untouched unless the
 * record would not fit the topic's max.message.bytes: then they are cut and `dlq_truncated` says so,
 * because a dead letter that cannot be produced would stop the consumer. Returns only once the broker
 * has it: the offset of a poison message is committed after this, never before.
 */
export async function sendToDeadLetter(producer: Producer, context: DeadLetterContext): Promise<void> {
  const { error, message } = context;
  const code = isPassportError(error) ? error.code : 'UNEXPECTED';
  const dlqHeaders: Record<string, string> = {
    dlq_error_code: code,
    dlq_error_message: String((error as Error)?.message ?? error).slice(0, MAX_REASON),
    dlq_original_topic: context.topic,
    dlq_original_partition: String(context.partition),
    dlq_original_offset: message.offset,
    dlq_consumer_group: context.consumerGroup,
    dlq_failed_at: new Date().toISOString(),
  };
  if (isPassportError(error) && typeof error.details.path === 'string')
    dlqHeaders.dlq_error_path = error.details.path.slice(0, MAX_REASON);
  const fitted = fitDeadLetter(
    { key: message.key, value: message.value, headers: headerPairs(message.headers), context: dlqHeaders },
    DEAD_LETTER_MAX_MESSAGE_BYTES,
  );
  await producer.send({
    topic: deadLetterTopicOf(context.agencyId),
    acks: -1,
    messages: [{ key: fitted.key, value: fitted.value, headers: fitted.headers }],
  });
}
