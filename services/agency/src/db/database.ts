/**
 * The little the service needs from a SQL database, for SQLite (embedded default) and PostgreSQL alike.
 * SQL is written with `?` placeholders; the PostgreSQL adapter numbers them. Values are strings,
 * numbers (integers: epoch milliseconds for times) or null; JSON travels as text.
 */
export type SqlValue = string | number | null;

export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  query<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * A write committed on its own without waiting for the disk: atomic and visible at once, but a power
   * failure may undo it. Only for bookkeeping whose loss is harmless because the work it records is
   * redone idempotently (an outbox row marked published is at worst published again, and consumers drop
   * the duplicate by event id). It keeps a sync to disk off the hot path of every publish.
   */
  executeWithoutSync(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs `work` atomically; transactions of one process are serialised. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function queryOne<Row>(
  db: Database,
  sql: string,
  params: readonly SqlValue[] = [],
): Promise<Row | undefined> {
  const rows = await db.query<Row>(sql, params);
  return rows[0];
}

/** A promise chain that lets one transaction run at a time. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
