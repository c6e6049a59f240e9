import type { Database } from '../db/database';

export interface EventPosition {
  eventId: string;
  eventType: string;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Claims an event for processing inside the transaction that applies it. False means it was applied
 * before (a redelivery after a crash or rebalance) and must not be applied again.
 */
export async function claimEvent(tx: Database, position: EventPosition): Promise<boolean> {
  const changed = await tx.execute(
    'INSERT INTO processed_events (event_id, event_type, topic, partition_no, offset_no, processed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING',
    [position.eventId, position.eventType, position.topic, position.partition, position.offset, Date.now()],
  );
  return changed > 0;
}

/** Whether an event was applied before: a refused event that we once applied is a redelivery. */
export async function wasProcessed(db: Database, eventId: string): Promise<boolean> {
  return (
    (await db.query('SELECT 1 AS present FROM processed_events WHERE event_id = ?', [eventId])).length > 0
  );
}
