import { Pool } from 'pg';
import type { EvidenceFields } from '@passport/trust';
import type { Database } from '@passport/agency-service/db/database';
import { migrate } from '@passport/agency-service/db/migrations';
import { openPostgres } from '@passport/agency-service/db/postgres';
import { appendEvidence, evidenceAfter } from '@passport/agency-service/store/evidence-log';
import { createTestSchema } from '../../../support/postgres';

const fields = (offset: number): EvidenceFields => ({
  direction: 'received',
  topic: 'passport.outcomes.v1',
  partition: 0,
  offset: String(offset),
  key: null,
  keySha256: null,
  eventId: null,
  eventType: null,
  source: null,
  signerKeyId: null,
  signature: null,
  signedPayload: null,
  valueSha256: null,
  verdict: 'PASSPORT_SIGNATURE_MISSING',
  recordedAt: new Date(0).toISOString(),
});

/** Waits until some session of this database waits for a row lock: our append, behind the other writer. */
async function blockedOnALock(url: string): Promise<void> {
  const watcher = new Pool({ connectionString: url, max: 1 });
  try {
    for (;;) {
      const { rows } = await watcher.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO evidence_log%'",
      );
      if (Number(rows[0]?.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await watcher.end();
  }
}

describe('evidence log with two writers on one PostgreSQL database', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: Database;
  let other: Pool;

  beforeEach(async () => {
    schema = await createTestSchema();
    db = openPostgres(schema.url);
    await migrate(db);
    other = new Pool({ connectionString: schema.url, max: 1 });
  });

  afterEach(async () => {
    await other.end();
    await db.close();
    await schema.drop();
  });

  it('refuses, as retriable, an entry another process wrote at the same place in the chain', async () => {
    // Another service process on the same database has written entry 1 and not committed yet.
    const client = await other.connect();
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO evidence_log (seq, direction, topic, partition_no, offset_no, verdict, recorded_at, prev_hash, entry_hash) VALUES (1, 'received', 'passport.outcomes.v1', 0, '7', 'verified', 'x', 'x', 'x')",
    );
    const appending = appendEvidence(db, [fields(1)]);
    const settled = appending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await blockedOnALock(schema.url);
    await client.query('COMMIT');
    client.release();

    expect(await settled).toMatchObject({ code: 'PASSPORT_EVIDENCE_CHAIN_FORKED', retriable: true, seq: 1 });
    // Tried again, it reads the new head and extends it.
    expect(await appendEvidence(db, [fields(1)])).toBe(1);
    expect((await evidenceAfter(db, 0, 10)).map((entry) => [entry.seq, entry.offset])).toEqual([
      [1, '7'],
      [2, '1'],
    ]);
  });
});
