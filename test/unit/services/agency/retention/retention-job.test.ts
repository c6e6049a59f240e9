import pino from 'pino';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { createMetrics } from '@passport/agency-service/metrics';
import { DAY_MS, retentionEnvironment, retentionPolicy } from '@passport/agency-service/retention/policy';
import { RetentionJob } from '@passport/agency-service/retention/retention-job';
import { findResponse } from '@passport/agency-service/store/idempotency';

const NOW = Date.UTC(2031, 5, 1);

async function databaseWithKeys(ages: Record<string, number>): Promise<Database> {
  const db = openSqlite(':memory:');
  await migrate(db);
  for (const [key, age] of Object.entries(ages))
    await db.execute(
      'INSERT INTO idempotency_keys (idempotency_key, fingerprint, status_code, response, created_at) VALUES (?, ?, ?, ?, ?)',
      [key, 'f', 201, '{}', NOW - age],
    );
  return db;
}

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('RetentionJob', () => {
  it('prunes once at start, logs one line with the counts, and stops cleanly', async () => {
    const db = await databaseWithKeys({ old: 8 * DAY_MS, young: DAY_MS });
    const { logger, lines } = capturingLogger();
    const policy = retentionPolicy(retentionEnvironment.parse({ RETENTION_CHECK_MS: '3600000' }));
    const job = new RetentionJob({ db, policy, logger, metrics: createMetrics('bwi'), clock: () => NOW });
    try {
      job.start();
      await job.stop();
      expect(await findResponse(db, 'old')).toBeUndefined();
      expect(await findResponse(db, 'young')).toBeDefined();
      expect(lines).toEqual([
        expect.objectContaining({
          msg: 'retention pass',
          pruned: expect.objectContaining({ idempotency_keys: 1, outbox: 0 }),
        }),
      ]);
    } finally {
      await db.close();
    }
  });

  it('logs a failed pass as a warning and keeps the service running', async () => {
    const db = await databaseWithKeys({});
    await db.execute('DROP TABLE idempotency_keys');
    const { logger, lines } = capturingLogger();
    const policy = retentionPolicy(retentionEnvironment.parse({}));
    const job = new RetentionJob({ db, policy, logger, metrics: createMetrics('bwi'), clock: () => NOW });
    try {
      job.start();
      await job.stop();
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/retention pass failed/) }),
      ]);
    } finally {
      await db.close();
    }
  });
});
