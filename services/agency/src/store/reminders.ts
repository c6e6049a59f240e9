import type { Database } from '../db/database';

/**
 * Claims the one reminder a request gets at this agency, inside the transaction that sends it. False
 * means someone already reminded: on the partner side the home agency's event and the own deadline
 * check race for the same row, and a conflicting insert (PostgreSQL waits for the other transaction)
 * lets exactly one of them through.
 */
export async function claimReminder(tx: Database, requestId: string, now: number): Promise<boolean> {
  const changed = await tx.execute(
    'INSERT INTO reminders (request_id, reminded_at) VALUES (?, ?) ON CONFLICT (request_id) DO NOTHING',
    [requestId, now],
  );
  return changed > 0;
}
