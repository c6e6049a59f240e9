import type { Database } from '../db/database';

export type SuggestionStatus = 'suggested' | 'approved' | 'dismissed';

export interface StoredSuggestion {
  companyId: string;
  rank: number;
  score: number;
  rationale: string;
  status: SuggestionStatus;
}

export async function saveSuggestions(
  tx: Database,
  requestId: string,
  suggestions: ReadonlyArray<{ companyId: string; score: number; rationale: string }>,
): Promise<void> {
  for (const [rank, s] of suggestions.entries()) {
    await tx.execute(
      'INSERT INTO suggestions (request_id, company_id, rank_no, score, rationale, status) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [requestId, s.companyId, rank + 1, s.score, s.rationale, 'suggested'],
    );
  }
}

export async function suggestionsFor(db: Database, requestId: string): Promise<StoredSuggestion[]> {
  const rows = await db.query<{
    company_id: string;
    rank_no: number;
    score: number;
    rationale: string;
    status: SuggestionStatus;
  }>(
    'SELECT company_id, rank_no, score, rationale, status FROM suggestions WHERE request_id = ? ORDER BY rank_no',
    [requestId],
  );
  return rows.map((r) => ({
    companyId: r.company_id,
    rank: Number(r.rank_no),
    score: Number(r.score),
    rationale: r.rationale,
    status: r.status,
  }));
}

export async function markSuggestions(
  tx: Database,
  requestId: string,
  approved: readonly string[],
): Promise<void> {
  await tx.execute(
    "UPDATE suggestions SET status = 'dismissed' WHERE request_id = ? AND status = 'suggested'",
    [requestId],
  );
  for (const companyId of approved) {
    await tx.execute("UPDATE suggestions SET status = 'approved' WHERE request_id = ? AND company_id = ?", [
      requestId,
      companyId,
    ]);
  }
}

export async function rememberCandidateRef(
  tx: Database,
  candidateRef: string,
  requestId: string,
  companyId: string,
): Promise<void> {
  await tx.execute(
    'INSERT INTO candidate_refs (candidate_ref, request_id, company_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    [candidateRef, requestId, companyId],
  );
}

export async function companyOfCandidate(db: Database, candidateRef: string): Promise<string | undefined> {
  const [row] = await db.query<{ company_id: string }>(
    'SELECT company_id FROM candidate_refs WHERE candidate_ref = ?',
    [candidateRef],
  );
  return row?.company_id;
}

/** Candidates staff proposed by hand carry their own refs, with no directory entry behind them. */
export async function rememberProposed(
  tx: Database,
  requestId: string,
  candidateRefs: readonly string[],
): Promise<void> {
  for (const candidateRef of candidateRefs)
    await tx.execute(
      'INSERT INTO proposed_candidates (request_id, candidate_ref) VALUES (?, ?) ON CONFLICT DO NOTHING',
      [requestId, candidateRef],
    );
}

/**
 * Whether we proposed `candidateRef` for this very request, from the directory or by hand: refs are
 * looked up per request, so one proposed for another request does not count.
 */
export async function proposedFor(db: Database, requestId: string, candidateRef: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 AS present FROM candidate_refs WHERE candidate_ref = ? AND request_id = ?
     UNION ALL SELECT 1 AS present FROM proposed_candidates WHERE candidate_ref = ? AND request_id = ?`,
    [candidateRef, requestId, candidateRef, requestId],
  );
  return rows.length > 0;
}
