import type { Database } from '../db/database';

/**
 * Introductions seen from either side: `home` rows are ours (our firm asked to meet a partner's
 * candidate), `partner` rows are a partner's firm asking to meet one of our candidates. Contact data is
 * stored only on the side it was addressed to.
 */
export type IntroductionRole = 'home' | 'partner';
export type IntroductionStatus = 'requested' | 'accepted' | 'declined';

export interface Introduction {
  requestId: string;
  candidateRef: string;
  role: IntroductionRole;
  partnerAgency: string;
  status: IntroductionStatus;
  firmName: string | null;
  firmContact: unknown;
  candidateName: string | null;
  candidateContact: unknown;
  reason: string | null;
}

export async function upsertIntroduction(tx: Database, intro: Introduction, now: number): Promise<void> {
  await tx.execute(
    `INSERT INTO introductions (request_id, candidate_ref, role, partner_agency, status, firm_name, firm_contact, candidate_name, candidate_contact, reason, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (request_id, candidate_ref, role) DO UPDATE SET status = excluded.status,
       firm_name = COALESCE(excluded.firm_name, introductions.firm_name), firm_contact = COALESCE(excluded.firm_contact, introductions.firm_contact),
       candidate_name = COALESCE(excluded.candidate_name, introductions.candidate_name),
       candidate_contact = COALESCE(excluded.candidate_contact, introductions.candidate_contact),
       reason = excluded.reason, updated_at = excluded.updated_at`,
    [
      intro.requestId,
      intro.candidateRef,
      intro.role,
      intro.partnerAgency,
      intro.status,
      intro.firmName,
      intro.firmContact === null ? null : JSON.stringify(intro.firmContact),
      intro.candidateName,
      intro.candidateContact === null ? null : JSON.stringify(intro.candidateContact),
      intro.reason,
      now,
    ],
  );
}

interface IntroductionRow {
  request_id: string;
  candidate_ref: string;
  role: IntroductionRole;
  partner_agency: string;
  status: IntroductionStatus;
  firm_name: string | null;
  firm_contact: string | null;
  candidate_name: string | null;
  candidate_contact: string | null;
  reason: string | null;
}

export async function introductionsOf(
  db: Database,
  requestId: string,
  role: IntroductionRole,
): Promise<Introduction[]> {
  const rows = await db.query<IntroductionRow>(
    'SELECT * FROM introductions WHERE request_id = ? AND role = ? ORDER BY candidate_ref',
    [requestId, role],
  );
  return rows.map((row) => ({
    requestId: row.request_id,
    candidateRef: row.candidate_ref,
    role: row.role,
    partnerAgency: row.partner_agency,
    status: row.status,
    firmName: row.firm_name,
    firmContact: row.firm_contact ? JSON.parse(row.firm_contact) : null,
    candidateName: row.candidate_name,
    candidateContact: row.candidate_contact ? JSON.parse(row.candidate_contact) : null,
    reason: row.reason,
  }));
}

export async function findIntroduction(
  db: Database,
  requestId: string,
  candidateRef: string,
  role: IntroductionRole,
): Promise<Introduction | undefined> {
  return (await introductionsOf(db, requestId, role)).find((intro) => intro.candidateRef === candidateRef);
}
