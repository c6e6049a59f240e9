import { headerText, type KafkaHeaderValue } from '@passport/events';
import type { KafkaMessage } from 'kafkajs';
import type { Database } from '../db/database';
import { confirmDeadLetters } from '../store/dead-letter-outbox';
import type { BatchControl } from './event-consumer';

/** A `dlq_id` is a UUID we wrote; anything longer was not ours and is not looked up. */
const MAX_DLQ_ID = 64;

/** The `dlq_id` header of a message on the agency's dead-letter topic, if it carries a plausible one. */
export function dlqIdOf(message: KafkaMessage): string | undefined {
  const id = headerText(message.headers as Record<string, KafkaHeaderValue> | undefined, 'dlq_id');
  return id !== undefined && id.length > 0 && id.length <= MAX_DLQ_ID ? id : undefined;
}

/**
 * A batch read back from the agency's own dead-letter topic: nothing is applied; each dead letter
 * with a `dlq_id` confirms its row (store/dead-letter-outbox), in one write before the offsets are
 * resolved, so a crash in between leaves rows unconfirmed and they are at worst sent once more.
 * Dead letters from before `dlq_id` existed, or written by an admin, match no row and are passed.
 */
export async function confirmDeadLetterEchoes(
  db: Database,
  messages: readonly KafkaMessage[],
  control: BatchControl,
  now: number,
): Promise<void> {
  const taken = [];
  for (const message of messages) {
    if (control.shouldStop()) break;
    taken.push(message);
  }
  await confirmDeadLetters(
    db,
    taken.flatMap((message) => dlqIdOf(message) ?? []),
    now,
  );
  for (const message of taken) control.resolveOffset(message.offset);
  await control.heartbeat();
}
