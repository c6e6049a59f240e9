import { openSqlite } from '@passport/agency-service/db/sqlite';

export interface ConfirmationDelays {
  /** Per row: confirmed_at − first_published_at, in ms, floored at 0. */
  delaysMs: number[];
  /** Rows whose echo was read before the relay's "published" mark (a negative raw delay). */
  echoBeforeMark: number;
  /** Rows published and still not confirmed when the services stopped. */
  unconfirmed: number;
}

/**
 * How long the services' outbox rows waited between "sent, acknowledged" (first_published_at, stamped
 * after the broker's acknowledgement) and "read back from the topic" (confirmed_at), for the rows
 * created within the given wall-clock windows. Read from the services' SQLite files once they stopped.
 * Both stamps are whole milliseconds from Date.now(), so values below 1 ms read as 0.
 */
export async function confirmationDelays(
  sqliteFiles: readonly string[],
  windows: ReadonlyArray<{ from: number; to: number }>,
): Promise<ConfirmationDelays> {
  const result: ConfirmationDelays = { delaysMs: [], echoBeforeMark: 0, unconfirmed: 0 };
  for (const file of sqliteFiles) {
    const db = openSqlite(file);
    try {
      for (const { from, to } of windows) {
        const rows = await db.query<{ first: number | null; confirmed: number | null }>(
          `SELECT first_published_at AS first, confirmed_at AS confirmed FROM outbox
           WHERE created_at >= ? AND created_at <= ?`,
          [from, to],
        );
        for (const { first, confirmed } of rows) {
          if (first === null) continue;
          if (confirmed === null) {
            result.unconfirmed += 1;
            continue;
          }
          const delay = Number(confirmed) - Number(first);
          if (delay < 0) result.echoBeforeMark += 1;
          result.delaysMs.push(Math.max(0, delay));
        }
      }
    } finally {
      await db.close();
    }
  }
  return result;
}
