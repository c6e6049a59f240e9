import Database from 'better-sqlite3';

/** Reads one agency's database directly: the proof of what was applied, independent of any log. */
export function sqliteRows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
