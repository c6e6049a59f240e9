import type { ServiceConfig } from '../config';
import type { Database } from './database';
import { migrate } from './migrations';
import { openPostgres } from './postgres';
import { openSqlite } from './sqlite';

export async function openDatabase(config: Pick<ServiceConfig, 'database'>): Promise<Database> {
  const db =
    config.database.kind === 'postgres'
      ? openPostgres(config.database.url)
      : openSqlite(config.database.file);
  await migrate(db);
  return db;
}
