import BetterSqlite3 from 'better-sqlite3';
import { Mutex, type Database, type SqlValue } from './database';
import { GroupCommitter } from './group-commit';

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 is synchronous; wrapping it in promises keeps one Database interface for both engines.
 * WAL mode lets readers proceed while the single writer commits.
 *
 * A transaction's work gets a handle of its own (`tx`) whose statements run inside it. Calls on the
 * database itself wait for the open transaction to finish, so they neither join it (a later rollback
 * would take them along) nor read what it has not committed yet. Work inside a transaction must use its
 * `tx`, as it must for PostgreSQL, where `tx` is the transaction's own connection: a call on the
 * database from inside waits for a commit that waits for it. (The handle replaced an AsyncLocalStorage
 * that marked the transaction's async context: its hooks cost ~10% of the consumer's CPU on Node 20.)
 */
export function openSqlite(file: string): Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // A commit is on disk before anyone hears "done"; group commit pays that sync once per group.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const mutex = new Mutex();

  // Preparing costs more than running a small statement; the service uses a few dozen distinct SQL
  // texts, so they are kept. Texts built per call (IN lists) may evict each other, nothing else.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = sqlite.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE)
        statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };

  const run = (sql: string, params: readonly SqlValue[]) => {
    const statement = prepared(sql);
    return statement.reader
      ? { rows: statement.all(...params), changes: 0 }
      : { rows: [], changes: statement.run(...params).changes };
  };

  const committer = new GroupCommitter(sqlite, mutex);

  /** The handle a transaction's work runs its statements on: directly, inside the open transaction. */
  const tx: Database = {
    dialect: 'sqlite',
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return run(sql, params).rows as Row[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      return run(sql, params).changes;
    },
    // Inside a transaction the write is part of it; the transaction's commit decides its sync.
    async executeWithoutSync(sql: string, params: readonly SqlValue[] = []) {
      return run(sql, params).changes;
    },
    transaction: (work) => work(tx),
    async close() {
      throw new Error('close the database, not a transaction');
    },
  };

  return {
    dialect: 'sqlite',
    query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return mutex.run(async () => run(sql, params).rows as Row[]);
    },
    execute(sql: string, params: readonly SqlValue[] = []) {
      return mutex.run(async () => run(sql, params).changes);
    },
    executeWithoutSync(sql: string, params: readonly SqlValue[] = []) {
      return mutex.run(async () => {
        // In WAL mode NORMAL skips the sync at commit; the next FULL commit syncs these pages with its own.
        // Nothing else can run on the connection between the two pragmas (better-sqlite3 is synchronous).
        sqlite.pragma('synchronous = NORMAL');
        try {
          return run(sql, params).changes;
        } finally {
          sqlite.pragma('synchronous = FULL');
        }
      });
    },
    transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
      return committer.submit(() => work(tx));
    },
    async close() {
      await mutex.run(async () => sqlite.close());
    },
  };
}
