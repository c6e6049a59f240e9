import { AsyncLocalStorage } from 'node:async_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { Mutex, type Database, type SqlValue } from './database';
import { GroupCommitter } from './group-commit';

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 is synchronous; wrapping it in promises keeps one Database interface for both engines.
 * WAL mode lets readers proceed while the single writer commits.
 */
export function openSqlite(file: string): Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // A commit is on disk before anyone hears "done"; group commit pays that sync once per group.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const mutex = new Mutex();
  // Marks the async context of the open transaction: only calls made from inside it join it; concurrent
  // callers (an HTTP command while the consumer commits) wait for the mutex instead.
  const inside = new AsyncLocalStorage<true>();

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

  const committer = new GroupCommitter(sqlite, mutex, (work) => inside.run(true, work));

  const db: Database = {
    dialect: 'sqlite',
    // One connection: a statement outside a transaction waits for the open one, so it neither joins it
    // (a later rollback would take it along) nor reads what it has not committed yet.
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      if (inside.getStore()) return run(sql, params).rows as Row[];
      return mutex.run(async () => run(sql, params).rows as Row[]);
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      if (inside.getStore()) return run(sql, params).changes;
      return mutex.run(async () => run(sql, params).changes);
    },
    async executeWithoutSync(sql: string, params: readonly SqlValue[] = []) {
      if (inside.getStore()) return run(sql, params).changes;
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
      if (inside.getStore()) return work(db);
      return committer.submit(() => work(db));
    },
    async close() {
      await mutex.run(async () => sqlite.close());
    },
  };
  return db;
}
