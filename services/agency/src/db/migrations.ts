import type { Database } from './database';

/**
 * Schema changes, applied in order once each. `{{serial}}` and `{{bigint}}` are written per dialect.
 * Times are epoch milliseconds; JSON documents are text. Never edit a released migration; add one.
 */
const MIGRATIONS: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'exchange state, outbox, dedupe and idempotency',
    sql: `
CREATE TABLE own_requests (
  request_id TEXT PRIMARY KEY,
  firm_name TEXT NOT NULL,
  firm_contact TEXT NOT NULL,
  profile TEXT NOT NULL,
  status TEXT NOT NULL,
  close_reason TEXT,
  deadline {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE TABLE partner_replies (
  request_id TEXT NOT NULL REFERENCES own_requests(request_id),
  agency_id TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  note TEXT,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (request_id, agency_id)
);
CREATE TABLE received_candidates (
  request_id TEXT NOT NULL REFERENCES own_requests(request_id),
  agency_id TEXT NOT NULL,
  candidate_ref TEXT NOT NULL,
  candidate TEXT NOT NULL,
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (request_id, agency_id, candidate_ref)
);
CREATE TABLE introductions (
  request_id TEXT NOT NULL,
  candidate_ref TEXT NOT NULL,
  role TEXT NOT NULL,
  partner_agency TEXT NOT NULL,
  status TEXT NOT NULL,
  firm_name TEXT,
  firm_contact TEXT,
  candidate_name TEXT,
  candidate_contact TEXT,
  reason TEXT,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (request_id, candidate_ref, role)
);
CREATE TABLE inbox (
  request_id TEXT PRIMARY KEY,
  home_agency TEXT NOT NULL,
  profile TEXT NOT NULL,
  deadline {{bigint}} NOT NULL,
  status TEXT NOT NULL,
  received_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE TABLE outcomes (
  event_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  source TEXT NOT NULL,
  candidate_ref TEXT,
  outcome TEXT NOT NULL,
  agreement_type TEXT,
  summary TEXT,
  occurred_at {{bigint}} NOT NULL
);
CREATE TABLE outbox (
  id {{serial}},
  event_id TEXT NOT NULL UNIQUE,
  request_id TEXT NOT NULL,
  event TEXT NOT NULL,
  traceparent TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  published_at {{bigint}}
);
CREATE INDEX outbox_unpublished ON outbox (published_at, id);
CREATE TABLE processed_events (
  event_id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition_no INTEGER NOT NULL,
  offset_no TEXT NOT NULL,
  processed_at {{bigint}} NOT NULL
);
CREATE TABLE idempotency_keys (
  idempotency_key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at {{bigint}} NOT NULL
);`,
  },
  {
    id: 2,
    name: 'ecosystem directory, match suggestions, candidate references, webhooks and the event feed',
    sql: `
CREATE TABLE directory_companies (
  company_id TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  contact TEXT,
  updated_at {{bigint}} NOT NULL
);
CREATE TABLE suggestions (
  request_id TEXT NOT NULL,
  company_id TEXT NOT NULL,
  rank_no INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  rationale TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (request_id, company_id)
);
CREATE TABLE candidate_refs (
  candidate_ref TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  company_id TEXT NOT NULL
);
CREATE TABLE feed (
  cursor_no {{serial}},
  kind TEXT NOT NULL,
  request_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE webhook_deliveries (
  cursor_no {{bigint}} PRIMARY KEY,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at {{bigint}} NOT NULL,
  last_status_code INTEGER,
  last_error TEXT,
  delivered_at {{bigint}}
);
CREATE TABLE reminders (
  request_id TEXT PRIMARY KEY,
  reminded_at {{bigint}} NOT NULL
)`,
  },
  {
    id: 3,
    name: 'deadline indexes: the deadline watcher reads only what is due',
    sql: `
CREATE INDEX own_requests_by_deadline ON own_requests (status, deadline);
CREATE INDEX inbox_by_deadline ON inbox (deadline)`,
  },
  {
    id: 4,
    name: 'webhook deliveries retried until acknowledged: given-up ones pending again, due ones indexed',
    sql: `
UPDATE webhook_deliveries SET status = 'pending' WHERE status = 'failed';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, cursor_no)`,
  },
  {
    id: 5,
    name: 'retention: erasure mark on own requests, age indexes for the pruning job',
    sql: `
ALTER TABLE own_requests ADD COLUMN personal_data_erased_at {{bigint}};
CREATE INDEX own_requests_closed ON own_requests (status, updated_at);
CREATE INDEX processed_events_by_age ON processed_events (processed_at);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
CREATE INDEX feed_by_age ON feed (created_at);
CREATE INDEX webhook_deliveries_acknowledged ON webhook_deliveries (status, delivered_at)`,
  },
  {
    id: 6,
    name: 'outbox quarantine: rows no retry can publish are set aside with their error',
    sql: `
ALTER TABLE outbox ADD COLUMN quarantined_at {{bigint}};
ALTER TABLE outbox ADD COLUMN quarantine_code TEXT;
ALTER TABLE outbox ADD COLUMN quarantine_message TEXT;
CREATE INDEX outbox_quarantined ON outbox (request_id, id) WHERE quarantined_at IS NOT NULL`,
  },
  {
    id: 7,
    name: 'candidates staff proposed by hand, per request: an introduction may name only those we proposed',
    sql: `
CREATE TABLE proposed_candidates (
  request_id TEXT NOT NULL,
  candidate_ref TEXT NOT NULL,
  PRIMARY KEY (request_id, candidate_ref)
)`,
  },
  {
    id: 8,
    name: 'outbox delivery confirmed by reading the event back; rows published before count as confirmed',
    sql: `
ALTER TABLE outbox ADD COLUMN confirmed_at {{bigint}};
ALTER TABLE outbox ADD COLUMN first_published_at {{bigint}};
UPDATE outbox SET confirmed_at = published_at, first_published_at = published_at WHERE published_at IS NOT NULL;
CREATE INDEX outbox_unconfirmed ON outbox (first_published_at) WHERE confirmed_at IS NULL;
CREATE INDEX outbox_confirmed ON outbox (confirmed_at)`,
  },
  {
    id: 9,
    name: 'dead letters queued with the consumer step that passes the poison message, then sent and read back',
    sql: `
CREATE TABLE dead_letter_outbox (
  id {{serial}},
  dlq_id TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL UNIQUE,
  message_key TEXT,
  message_value TEXT,
  headers TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  published_at {{bigint}},
  first_published_at {{bigint}},
  confirmed_at {{bigint}}
);
CREATE INDEX dead_letter_outbox_unconfirmed ON dead_letter_outbox (first_published_at) WHERE confirmed_at IS NULL;
CREATE INDEX dead_letter_outbox_confirmed ON dead_letter_outbox (confirmed_at)`,
  },
  {
    id: 10,
    name: 'per-introduction keys: ours with the private blob (erasure deletes it), the partner agency one public',
    sql: `
CREATE TABLE introduction_keys (
  request_id TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  candidate_ref TEXT NOT NULL,
  side TEXT NOT NULL,
  key_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  private_blob TEXT,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (request_id, agency_id, candidate_ref, side)
)`,
  },
  {
    id: 11,
    name: 'evidence log: a hash chain of every signed record sent and received, value hash only',
    sql: `
CREATE TABLE evidence_log (
  seq {{bigint}} PRIMARY KEY,
  direction TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition_no INTEGER NOT NULL,
  offset_no TEXT NOT NULL,
  message_key TEXT,
  key_sha256 TEXT,
  event_id TEXT,
  event_type TEXT,
  event_source TEXT,
  signer_key_id TEXT,
  signature TEXT,
  signed_payload TEXT,
  value_sha256 TEXT,
  verdict TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  UNIQUE (topic, partition_no, offset_no)
)`,
  },
  {
    id: 12,
    name: 'key rotation statements applied to the trust list, replayed over TRUST_LIST_FILE at start',
    sql: `
CREATE TABLE applied_rotations (
  id {{serial}},
  statement_sha256 TEXT NOT NULL UNIQUE,
  agency_id TEXT NOT NULL,
  statement TEXT NOT NULL,
  applied_at {{bigint}} NOT NULL
)`,
  },
  {
    id: 13,
    name: 'erasure records: what was erased on request and which keys were destroyed, no personal data',
    sql: `
CREATE TABLE erasures (
  request_id TEXT NOT NULL,
  candidate_ref TEXT NOT NULL,
  role TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  categories TEXT NOT NULL,
  destroyed_key_ids TEXT NOT NULL,
  event_ids TEXT NOT NULL,
  erased_at {{bigint}} NOT NULL,
  PRIMARY KEY (request_id, candidate_ref, role)
)`,
  },
];

const DIALECT = {
  sqlite: { serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', bigint: 'INTEGER' },
  postgres: { serial: 'BIGSERIAL PRIMARY KEY', bigint: 'BIGINT' },
};

export async function migrate(db: Database): Promise<number[]> {
  await db.execute(
    `CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${DIALECT[db.dialect].bigint} NOT NULL)`,
  );
  const applied = new Set(
    (await db.query<{ id: number }>('SELECT id FROM schema_migrations')).map((row) => Number(row.id)),
  );
  const done: number[] = [];
  for (const migration of MIGRATIONS.filter((m) => !applied.has(m.id))) {
    await db.transaction(async (tx) => {
      const sql = migration.sql.replace(
        /\{\{(serial|bigint)\}\}/g,
        (_m, token: 'serial' | 'bigint') => DIALECT[db.dialect][token],
      );
      for (const statement of sql
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.execute(statement);
      await tx.execute('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)', [
        migration.id,
        migration.name,
        Date.now(),
      ]);
    });
    done.push(migration.id);
  }
  return done;
}
