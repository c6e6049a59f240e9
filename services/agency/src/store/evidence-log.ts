import { EvidenceChainForkedError } from '@passport/errors';
import { chainEvidence, EVIDENCE_GENESIS, type EvidenceEntry, type EvidenceFields } from '@passport/trust';
import { queryOne, type Database } from '../db/database';

interface EvidenceRow {
  seq: number | string;
  direction: 'sent' | 'received';
  topic: string;
  partition_no: number | string;
  offset_no: string;
  message_key: string | null;
  key_sha256: string | null;
  event_id: string | null;
  event_type: string | null;
  event_source: string | null;
  signer_key_id: string | null;
  signature: string | null;
  signed_payload: string | null;
  value_sha256: string | null;
  verdict: string;
  recorded_at: string;
  prev_hash: string;
  entry_hash: string;
}

const INSERT = `INSERT INTO evidence_log (seq, direction, topic, partition_no, offset_no, message_key, key_sha256,
  event_id, event_type, event_source, signer_key_id, signature, signed_payload, value_sha256, verdict,
  recorded_at, prev_hash, entry_hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (topic, partition_no, offset_no) DO NOTHING`;

/**
 * Appends one entry per record, in the given order, to the agency's chain, in one transaction. A record
 * already in the log (same topic, partition and offset: read again after a crash or a rebalance) adds
 * nothing and does not advance the chain. Transactions of one process are serialised, so the head read
 * here is the head the entries extend; a second process writing the same database would collide on
 * `seq` (the primary key) and is refused rather than forking the chain. Returns how many were added.
 */
export async function appendEvidence(db: Database, records: readonly EvidenceFields[]): Promise<number> {
  if (records.length === 0) return 0;
  return db.transaction(async (tx) => {
    const last = await queryOne<{ seq: number | string; entry_hash: string }>(
      tx,
      'SELECT seq, entry_hash FROM evidence_log ORDER BY seq DESC LIMIT 1',
    );
    let head = last === undefined ? undefined : { seq: Number(last.seq), entryHash: last.entry_hash };
    let added = 0;
    for (const fields of records) {
      const entry = chainEvidence(fields, head);
      if (!(await insertEntry(tx, entry))) continue;
      head = entry;
      added += 1;
    }
    return added;
  });
}

async function insertEntry(tx: Database, entry: EvidenceEntry): Promise<boolean> {
  try {
    return (
      (await tx.execute(INSERT, [
        entry.seq,
        entry.direction,
        entry.topic,
        entry.partition,
        entry.offset,
        entry.key,
        entry.keySha256,
        entry.eventId,
        entry.eventType,
        entry.source,
        entry.signerKeyId,
        entry.signature,
        entry.signedPayload,
        entry.valueSha256,
        entry.verdict,
        entry.recordedAt,
        entry.prevHash,
        entry.entryHash,
      ])) > 0
    );
  } catch (error) {
    if (/unique|duplicate key/i.test((error as Error).message ?? ''))
      throw new EvidenceChainForkedError(entry.seq);
    throw error;
  }
}

/** The last entry's number and hash; seq 0 and the genesis hash while the log is empty. */
export async function evidenceHead(db: Database): Promise<{ seq: number; entryHash: string }> {
  const last = await queryOne<{ seq: number | string; entry_hash: string }>(
    db,
    'SELECT seq, entry_hash FROM evidence_log ORDER BY seq DESC LIMIT 1',
  );
  return last === undefined
    ? { seq: 0, entryHash: EVIDENCE_GENESIS }
    : { seq: Number(last.seq), entryHash: last.entry_hash };
}

/** Entries after `afterSeq`, in chain order, `limit` at most: the export reads the log page by page. */
export async function evidenceAfter(db: Database, afterSeq: number, limit: number): Promise<EvidenceEntry[]> {
  const rows = await db.query<EvidenceRow>('SELECT * FROM evidence_log WHERE seq > ? ORDER BY seq LIMIT ?', [
    afterSeq,
    limit,
  ]);
  return rows.map(entryOf);
}

function entryOf(row: EvidenceRow): EvidenceEntry {
  return {
    seq: Number(row.seq),
    direction: row.direction,
    topic: row.topic,
    partition: Number(row.partition_no),
    offset: row.offset_no,
    key: row.message_key,
    keySha256: row.key_sha256,
    eventId: row.event_id,
    eventType: row.event_type,
    source: row.event_source,
    signerKeyId: row.signer_key_id,
    signature: row.signature,
    signedPayload: row.signed_payload,
    valueSha256: row.value_sha256,
    verdict: row.verdict,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}
