import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openPostgres } from '@passport/agency-service/db/postgres';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { createTestSchema } from './postgres';

export type OpenTestDatabase = () => Promise<{ db: Database; cleanup(): Promise<void> }>;

/**
 * Both engines the agency service runs on, for `describe.each`: SQLite in memory, and PostgreSQL in a
 * schema of the test's own that `cleanup` drops.
 */
export const AGENCY_DATABASE_ENGINES: Array<[string, OpenTestDatabase]> = [
  ['SQLite', async () => ({ db: openSqlite(':memory:'), cleanup: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const schema = await createTestSchema();
      const db = openPostgres(schema.url);
      return {
        db,
        cleanup: async () => {
          await db.close();
          await schema.drop();
        },
      };
    },
  ],
];

/**
 * Inside a `describe`: a fresh, migrated database of `open`'s engine before each test, removed after it.
 * `use` receives each new one (tests keep it in a variable of their own).
 */
export function eachTestOnANewDatabase(open: OpenTestDatabase, use: (db: Database) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const opened = await open();
    await migrate(opened.db);
    cleanup = opened.cleanup;
    use(opened.db);
  });
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
}
