import { Pool, types, type PoolClient } from 'pg';
import { Mutex, type Database, type SqlValue } from './database';

/** `?` placeholders become `$1, $2, …`; no statement of ours has a literal question mark. */
export function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

function onClient(client: Pool | PoolClient, transaction: Database['transaction']): Database {
  return {
    dialect: 'postgres',
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(numberPlaceholders(sql), [...params])).rows as Row[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(numberPlaceholders(sql), [...params])).rowCount ?? 0;
    },
    async executeWithoutSync(sql: string, params: readonly SqlValue[] = []) {
      if (!(client instanceof Pool))
        return (await client.query(numberPlaceholders(sql), [...params])).rowCount ?? 0;
      // PostgreSQL's own form of the same trade: the commit returns before its WAL record is flushed.
      return transaction(async (tx) => {
        await tx.execute('SET LOCAL synchronous_commit TO OFF');
        return tx.execute(sql, params);
      });
    },
    transaction,
    async close() {
      if (client instanceof Pool) await client.end();
    },
  };
}

export function openPostgres(url: string): Database {
  // BIGINT (OID 20) holds epoch milliseconds and row counts, all far below 2^53.
  types.setTypeParser(20, (value: string) => Number(value));
  const pool = new Pool({ connectionString: url, max: 5 });
  // One transaction at a time, as on SQLite. The feed's cursor is drawn from a sequence when a row is
  // inserted, so with two transactions open the later cursor could commit first, and a back office
  // polling `GET /events?after=` would step past the earlier one for good. Reads outside transactions
  // still use the rest of the pool.
  const serial = new Mutex();
  const transaction: Database['transaction'] = (work) => serial.run(() => runTransaction(work));
  const runTransaction: Database['transaction'] = async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const nested: Database = onClient(client, (inner) => inner(nested));
      const result = await work(nested);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return onClient(pool, transaction);
}
