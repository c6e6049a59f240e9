import type { Database } from '../db/database';
import type { ErasedCategory } from '../erasure/erase-copies';

/**
 * The proof of an erasure on request (migration 13): which introduction, on which side, asked by whom,
 * what categories and which key ids were destroyed, the signed events that told the other agency. It
 * holds no personal data. `candidateRef` is `''` for a home agency's erasure of a whole request.
 */
export interface ErasureRecord {
  requestId: string;
  candidateRef: string;
  role: 'home' | 'partner';
  /** `api` for our own back office, else the agency whose signed PersonalDataErased we applied. */
  requestedBy: string;
  categories: ErasedCategory[];
  destroyedKeyIds: string[];
  eventIds: string[];
  erasedAt: number;
}

export async function saveErasure(db: Database, record: ErasureRecord): Promise<void> {
  await db.execute(
    `INSERT INTO erasures (request_id, candidate_ref, role, requested_by, categories, destroyed_key_ids, event_ids, erased_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, candidate_ref, role) DO NOTHING`,
    [
      record.requestId,
      record.candidateRef,
      record.role,
      record.requestedBy,
      JSON.stringify(record.categories),
      JSON.stringify(record.destroyedKeyIds),
      JSON.stringify(record.eventIds),
      record.erasedAt,
    ],
  );
}

interface Row {
  request_id: string;
  candidate_ref: string;
  role: 'home' | 'partner';
  requested_by: string;
  categories: string;
  destroyed_key_ids: string;
  event_ids: string;
  erased_at: number | string;
}

export async function erasuresOf(db: Database, requestId: string): Promise<ErasureRecord[]> {
  const rows = await db.query<Row>(
    'SELECT * FROM erasures WHERE request_id = ? ORDER BY role, candidate_ref',
    [requestId],
  );
  return rows.map((row) => ({
    requestId: row.request_id,
    candidateRef: row.candidate_ref,
    role: row.role,
    requestedBy: row.requested_by,
    categories: JSON.parse(row.categories) as ErasedCategory[],
    destroyedKeyIds: JSON.parse(row.destroyed_key_ids) as string[],
    eventIds: JSON.parse(row.event_ids) as string[],
    erasedAt: Number(row.erased_at),
  }));
}
