import type { Database } from '../db/database';

/**
 * The erasing statements the retention job runs by age (retention/prune.ts) and an erasure on request
 * runs for one request or introduction: one definition of what "erased" leaves behind.
 */
export const ERASED_FIRM_SET = "firm_name = '', firm_contact = 'null'";
export const ERASED_INTRODUCTION_SET =
  'firm_name = NULL, firm_contact = NULL, candidate_name = NULL, candidate_contact = NULL';

/** What an erasure record says was erased; never the data itself. */
export type ErasedCategory = 'firm' | 'candidate' | 'feed' | 'outbox' | 'introduction-keys';

/** Feed entries about introductions carry the names and contacts; their webhooks read the same body. */
const introductionFeedOf = "request_id = ? AND kind LIKE 'introduction.%'";

export async function eraseOwnRequestFirm(db: Database, requestId: string, now: number): Promise<void> {
  await db.execute(
    `UPDATE own_requests SET ${ERASED_FIRM_SET}, personal_data_erased_at = ? WHERE request_id = ?`,
    [now, requestId],
  );
}

/** The introductions' personal data of a request on one side, all or only one candidate's. */
export async function eraseIntroductionRows(
  db: Database,
  requestId: string,
  role: 'home' | 'partner',
  candidateRef?: string,
): Promise<void> {
  const one = candidateRef === undefined ? '' : ' AND candidate_ref = ?';
  await db.execute(
    `UPDATE introductions SET ${ERASED_INTRODUCTION_SET} WHERE request_id = ? AND role = ?${one}`,
    candidateRef === undefined ? [requestId, role] : [requestId, role, candidateRef],
  );
}

/**
 * The body of every introduction feed entry of the request is replaced by a marker: the entry and its
 * cursor stay (a back office paging the feed sees no gap), pending webhooks deliver the marker.
 */
export async function eraseIntroductionFeed(
  db: Database,
  requestId: string,
  candidateRef?: string,
): Promise<void> {
  const marker = JSON.stringify({ requestId, personalDataErased: true });
  if (candidateRef === undefined) {
    await db.execute(`UPDATE feed SET body = ? WHERE ${introductionFeedOf}`, [marker, requestId]);
    return;
  }
  // One candidate's erasure leaves the entries about the request's other candidates as they are.
  const entries = await db.query<{ cursor_no: number | string; body: string }>(
    `SELECT cursor_no, body FROM feed WHERE ${introductionFeedOf}`,
    [requestId],
  );
  for (const entry of entries) {
    const body = JSON.parse(entry.body) as { candidateRef?: unknown };
    if (body.candidateRef === candidateRef)
      await db.execute('UPDATE feed SET body = ? WHERE cursor_no = ?', [marker, entry.cursor_no]);
  }
}

/**
 * Our dead letters of the request: a parked clear introduction (v1) keeps its whole value, names and
 * contacts included, in the dead-letter outbox. The copy already on our dead-letter topic stays until
 * that topic's retention (30 days).
 */
export async function eraseRequestDeadLetters(db: Database, requestId: string): Promise<void> {
  // Keys are stored as base64 (dead-letter-outbox.ts); every exchange record is keyed by its request id.
  await db.execute('DELETE FROM dead_letter_outbox WHERE message_key = ?', [
    Buffer.from(requestId, 'utf8').toString('base64'),
  ]);
}

/**
 * Our published events of the request that were read back from their topic: a clear introduction sent
 * on v1 (SEALED_INTRODUCTIONS fallback) is kept there otherwise until OUTBOX_RETENTION_DAYS. Rows not
 * yet confirmed stay, to be resent (the PersonalDataErased just queued among them).
 */
export async function eraseConfirmedOutbox(db: Database, requestId: string): Promise<void> {
  await db.execute('DELETE FROM outbox WHERE request_id = ? AND confirmed_at IS NOT NULL', [requestId]);
}

/**
 * Deletes our private keys of the request shared with `agencyId` (optionally one candidate's) and the
 * partner's public ones: every copy sealed to them, on a topic or in a backup, can no longer be opened.
 * Returns the ids of the private keys destroyed.
 */
export async function destroyIntroductionKeys(
  db: Database,
  requestId: string,
  agencyId: string,
  candidateRef?: string,
): Promise<string[]> {
  const one = candidateRef === undefined ? '' : ' AND candidate_ref = ?';
  const params = candidateRef === undefined ? [requestId, agencyId] : [requestId, agencyId, candidateRef];
  const owned = await db.query<{ key_id: string }>(
    `SELECT key_id FROM introduction_keys WHERE request_id = ? AND agency_id = ?${one} AND side = 'own' AND private_blob IS NOT NULL`,
    params,
  );
  await db.execute(`DELETE FROM introduction_keys WHERE request_id = ? AND agency_id = ?${one}`, params);
  return owned.map((row) => row.key_id).sort();
}
