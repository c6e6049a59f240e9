import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '@passport/config';
import { isPassportError } from '@passport/errors';
import type { KafkaMessage } from 'kafkajs';
import type { Database } from '../db/database';
import { queueDeadLetter, type QueuedDeadLetter } from '../store/dead-letter-outbox';
import { fitDeadLetter, headerPairs } from './dead-letter-size';

/** Where a poison message was read and why it cannot be applied. */
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
 * The dead letter for a poison message: the original key, value and headers, plus headers saying what
 * went wrong and where it came from, so an admin can inspect and redrive it. `dlq_id` names this dead
 * letter: a copy sent again after a lost send carries the same id, and its echo is matched by it. The
 * bytes are untouched unless the record would not fit the topic's max.message.bytes: then they are cut
 * and `dlq_truncated` says so, because a dead letter that cannot be produced would never be delivered.
 */
export function deadLetterOf(context: DeadLetterContext): QueuedDeadLetter {
  const { error, message } = context;
  const code = isPassportError(error) ? error.code : 'UNEXPECTED';
  const dlqId = randomUUID();
  const dlqHeaders: Record<string, string> = {
    dlq_id: dlqId,
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
  return {
    dlqId,
    origin: `${context.consumerGroup} ${context.topic}/${context.partition}@${message.offset}`,
    key: fitted.key,
    value: fitted.value,
    headers: headerPairs(fitted.headers),
  };
}

/**
 * Queues the dead letter in the agency's database, synced to disk, and returns once it is there: the
 * offset of a poison message is resolved after this, never before, so a crash after the offset commit
 * loses nothing. The relay sends it and the consumer confirms it when it reads it back
 * (kafka/dead-letter-relay). Returns false when this message was queued before.
 */
export function parkDeadLetter(db: Database, context: DeadLetterContext, now: number): Promise<boolean> {
  return queueDeadLetter(db, deadLetterOf(context), now);
}
