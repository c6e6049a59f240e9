import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { Database } from '../../services/agency/src/db/database';
import { openPostgres } from '../../services/agency/src/db/postgres';
import { openSqlite } from '../../services/agency/src/db/sqlite';

/** The machine's PostgreSQL (trust auth); PASSPORT_TEST_POSTGRES_URL points elsewhere. */
const BASE_URL = process.env.PASSPORT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * A schema of its own for one test, reached through a URL whose search_path selects it, so tests never
 * see each other's tables. `drop` removes it with everything in it.
 */
export async function createTestSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `passport_test_${randomBytes(5).toString('hex')}`;
  const admin = new Pool({ connectionString: BASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const separator = BASE_URL.includes('?') ? '&' : '?';
  return {
    url: `${BASE_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Both engines the agency service runs on, for `describe.each`: each call opens an empty database. */
export const DATABASE_ENGINES: Array<[string, () => Promise<{ db: Database; cleanup(): Promise<void> }>]> = [
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
