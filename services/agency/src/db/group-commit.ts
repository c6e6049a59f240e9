import type BetterSqlite3 from 'better-sqlite3';
import type { Mutex } from './database';

interface Unit {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Bounds how long the first unit of a group waits for its commit behind the others. */
const MAX_UNITS_PER_COMMIT = 256;

/**
 * Group commit on one SQLite connection. Transactions asked for in the same turn of the event loop (32
 * HTTP commands parsed from one poll, say) run one after another inside a single BEGIN … COMMIT, each in
 * a savepoint of its own: one sync to disk instead of one per transaction.
 *
 * Each unit keeps its own all-or-nothing: a unit that throws rolls back to its savepoint and is rejected
 * alone. The others resolve only after the shared COMMIT has succeeded, so no caller is told "done" about
 * work that could still be rolled back; if the COMMIT fails they are all rejected.
 */
export class GroupCommitter {
  private queue: Unit[] = [];
  private scheduled = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly mutex: Mutex,
  ) {}

  submit<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase, so every request that arrived in it has queued its unit.
    setImmediate(() => void this.mutex.run(() => this.commitGroup()));
  }

  private async commitGroup(): Promise<void> {
    this.scheduled = false;
    const group = this.queue.splice(0, MAX_UNITS_PER_COMMIT);
    if (this.queue.length > 0) this.schedule();
    if (group.length === 0) return;
    try {
      this.sqlite.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const unit of group) unit.reject(error);
      return;
    }
    let done: Array<[Unit, unknown]> = [];
    for (const unit of group) {
      this.sqlite.exec('SAVEPOINT unit');
      try {
        const value = await unit.work();
        this.sqlite.exec('RELEASE unit');
        done.push([unit, value]);
      } catch (error) {
        unit.reject(error);
        if (this.sqlite.inTransaction) {
          this.sqlite.exec('ROLLBACK TO unit');
          this.sqlite.exec('RELEASE unit');
        } else {
          // SQLite rolled the whole transaction back (I/O error, disk full): the units before are gone too.
          for (const [earlier] of done) earlier.reject(error);
          done = [];
          this.sqlite.exec('BEGIN IMMEDIATE');
        }
      }
    }
    try {
      this.sqlite.exec('COMMIT');
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      for (const [unit] of done) unit.reject(error);
      return;
    }
    for (const [unit, value] of done) unit.resolve(value);
  }
}
