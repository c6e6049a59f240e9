import BetterSqlite3 from 'better-sqlite3';
import { Mutex, type Database, type SqlValue } from './database';

/**
 * better-sqlite3 is synchronous; wrapping it in promises keeps one Database interface for both engines.
 * WAL mode lets readers proceed while the single writer commits.
 */
export function openSqlite(file: string): Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const mutex = new Mutex();
  let inTransaction = false;

  const run = (sql: string, params: readonly SqlValue[]) => {
    const statement = sqlite.prepare(sql);
    return statement.reader
      ? { rows: statement.all(...params), changes: 0 }
      : { rows: [], changes: statement.run(...params).changes };
  };

  const db: Database = {
    dialect: 'sqlite',
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return run(sql, params).rows as Row[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      return run(sql, params).changes;
    },
    transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
      if (inTransaction) return work(db);
      return mutex.run(async () => {
        sqlite.exec('BEGIN IMMEDIATE');
        inTransaction = true;
        try {
          const result = await work(db);
          sqlite.exec('COMMIT');
          return result;
        } catch (error) {
          sqlite.exec('ROLLBACK');
          throw error;
        } finally {
          inTransaction = false;
        }
      });
    },
    async close() {
      await mutex.run(async () => sqlite.close());
    },
  };
  return db;
}
