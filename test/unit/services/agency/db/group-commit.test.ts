import BetterSqlite3 from 'better-sqlite3';
import { Mutex } from '@passport/agency-service/db/database';
import { GroupCommitter } from '@passport/agency-service/db/group-commit';
import { openSqlite } from '@passport/agency-service/db/sqlite';

function committerOnMemory() {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)');
  const statements: string[] = [];
  const exec = sqlite.exec.bind(sqlite);
  jest.spyOn(sqlite, 'exec').mockImplementation((sql: string) => {
    statements.push(sql);
    return exec(sql);
  });
  const committer = new GroupCommitter(sqlite, new Mutex());
  const insert = (label: string) => sqlite.prepare('INSERT INTO t (label) VALUES (?)').run(label);
  const labels = () =>
    (sqlite.prepare('SELECT label FROM t ORDER BY id').all() as Array<{ label: string }>).map((r) => r.label);
  return { sqlite, committer, statements, insert, labels };
}

describe('GroupCommitter', () => {
  it('commits transactions asked for in the same turn once, in the order they were asked for', async () => {
    const { committer, statements, insert, labels } = committerOnMemory();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        committer.submit(async () => {
          insert(`unit-${i}`);
          await Promise.resolve();
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(statements.filter((sql) => sql === 'COMMIT')).toHaveLength(1);
    expect(labels()).toEqual(Array.from({ length: 20 }, (_, i) => `unit-${i}`));
  });

  it('rolls back a failing unit alone and rejects only its caller', async () => {
    const { committer, insert, labels } = committerOnMemory();
    const outcomes = await Promise.allSettled([
      committer.submit(async () => insert('first')),
      committer.submit(async () => {
        insert('half-written');
        throw new Error('unit two fails after writing');
      }),
      committer.submit(async () => insert('first')), // violates UNIQUE: rolled back alone
      committer.submit(async () => insert('last')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('unit two fails after writing'));
    expect(labels()).toEqual(['first', 'last']);
  });

  it('resolves nobody when the shared commit fails', async () => {
    const { sqlite, committer, labels } = committerOnMemory();
    sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    sqlite.exec('CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    sqlite.pragma('foreign_keys = ON');
    const outcomes = await Promise.allSettled([
      committer.submit(async () => sqlite.prepare('INSERT INTO t (label) VALUES (?)').run('kept?')),
      // A deferred foreign key is checked at COMMIT: this makes the shared commit itself fail.
      committer.submit(async () => sqlite.prepare('INSERT INTO child (parent_id) VALUES (42)').run()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(labels()).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('serves the Database interface: nested transactions join, outside reads wait for the commit', async () => {
    const db = openSqlite(':memory:');
    await db.execute('CREATE TABLE t (label TEXT NOT NULL)');
    const seenInside: number[] = [];
    await Promise.all([
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t (label) VALUES (?)', ['a']);
        await tx.transaction(async (nested) => nested.execute('INSERT INTO t (label) VALUES (?)', ['b']));
        seenInside.push((await tx.query('SELECT label FROM t')).length);
      }),
      db
        .transaction(async (tx) => {
          await tx.execute('INSERT INTO t (label) VALUES (?)', ['c']);
          throw new Error('rolled back');
        })
        .catch(() => undefined),
    ]);
    expect(seenInside).toEqual([2]);
    expect(await db.query('SELECT label FROM t ORDER BY label')).toEqual([{ label: 'a' }, { label: 'b' }]);
    await db.close();
  });
});
