import { TOPICS } from '@passport/config';
import { isPassportError } from '@passport/errors';
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';

export interface DeadLetterContext {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  error: unknown;
}

/** Error messages of ours name fields and rules, never values; still, keep the header short. */
const MAX_REASON = 500;

/**
 * Sends the original message, bytes untouched, to the dead-letter topic with headers saying what went
 * wrong and where it came from, so an admin can inspect and redrive it. Returns only once the broker
 * has it: the offset of a poison message is committed after this, never before.
 */
export async function sendToDeadLetter(producer: Producer, context: DeadLetterContext): Promise<void> {
  const { error, message } = context;
  const code = isPassportError(error) ? error.code : 'UNEXPECTED';
  const headers: IHeaders = {
    ...(message.headers ?? {}),
    dlq_error_code: code,
    dlq_error_message: String((error as Error)?.message ?? error).slice(0, MAX_REASON),
    dlq_original_topic: context.topic,
    dlq_original_partition: String(context.partition),
    dlq_original_offset: message.offset,
    dlq_consumer_group: context.consumerGroup,
    dlq_failed_at: new Date().toISOString(),
  };
  if (isPassportError(error) && typeof error.details.path === 'string')
    headers.dlq_error_path = error.details.path;
  await producer.send({
    topic: TOPICS.deadLetter,
    acks: -1,
    messages: [{ key: message.key, value: message.value, headers }],
  });
}
