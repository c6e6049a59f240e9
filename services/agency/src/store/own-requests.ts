import { eventFromJson, eventToJson, type Candidate, type NeedsProfile } from '@passport/events';
import type { Database } from '../db/database';

/** Requests this agency sent for its own firms. The firm's identity stays here, never on a topic. */
export interface FirmIdentity {
  name: string;
  contact: {
    fullName: string;
    role: string | null;
    email: string;
    phone: string | null;
    preferredLanguage: string;
  };
}

export type PartnerStatus = 'requested' | 'acknowledged' | 'candidates' | 'none_found';

/**
 * Replies travel on different topics and may arrive in any order; a status never goes back. Candidates
 * outrank "none found": a partner that answered none automatically and whose staff then found some has
 * candidates, and a later "none found" does not take received candidates back.
 */
const RANK: Record<PartnerStatus, number> = { requested: 0, acknowledged: 1, none_found: 2, candidates: 3 };

export async function insertOwnRequest(
  tx: Database,
  requestId: string,
  firm: FirmIdentity,
  profile: NeedsProfile,
  now: number,
): Promise<void> {
  await tx.execute(
    'INSERT INTO own_requests (request_id, firm_name, firm_contact, profile, status, deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      requestId,
      firm.name,
      JSON.stringify(firm.contact),
      eventToJson(profile),
      'open',
      profile.deadline.getTime(),
      now,
      now,
    ],
  );
  for (const agency of profile.targetAgencies) {
    await tx.execute(
      'INSERT INTO partner_replies (request_id, agency_id, status, updated_at) VALUES (?, ?, ?, ?)',
      [requestId, agency, 'requested', now],
    );
  }
}

interface OwnRequestRow {
  request_id: string;
  firm_name: string;
  firm_contact: string;
  profile: string;
  status: string;
  close_reason: string | null;
  deadline: number;
  created_at: number;
  personal_data_erased_at: number | null;
}

export interface OwnRequest {
  requestId: string;
  /** Null once the retention job erased it, PERSONAL_DATA_RETENTION_DAYS after the request closed. */
  firm: FirmIdentity | null;
  personalDataErasedAt: Date | null;
  profile: NeedsProfile;
  status: 'open' | 'closed';
  closeReason: string | null;
  deadline: Date;
  createdAt: Date;
}

function toOwnRequest(row: OwnRequestRow): OwnRequest {
  return {
    requestId: row.request_id,
    firm:
      row.personal_data_erased_at === null
        ? { name: row.firm_name, contact: JSON.parse(row.firm_contact) as FirmIdentity['contact'] }
        : null,
    personalDataErasedAt:
      row.personal_data_erased_at === null ? null : new Date(Number(row.personal_data_erased_at)),
    profile: eventFromJson(row.profile) as NeedsProfile,
    status: row.status as OwnRequest['status'],
    closeReason: row.close_reason,
    deadline: new Date(Number(row.deadline)),
    createdAt: new Date(Number(row.created_at)),
  };
}

export async function findOwnRequest(db: Database, requestId: string): Promise<OwnRequest | undefined> {
  const [row] = await db.query<OwnRequestRow>('SELECT * FROM own_requests WHERE request_id = ?', [requestId]);
  return row ? toOwnRequest(row) : undefined;
}

/** The status alone, for the consumer's "does this concern us" check on every reply. */
export async function ownRequestStatus(
  db: Database,
  requestId: string,
): Promise<OwnRequest['status'] | undefined> {
  const [row] = await db.query<{ status: string }>('SELECT status FROM own_requests WHERE request_id = ?', [
    requestId,
  ]);
  return row?.status as OwnRequest['status'] | undefined;
}

/**
 * The status of our request if `partner` is one of the agencies it was sent to: a reply from any other
 * agency (every agency may write the reply topics) is not ours to record.
 */
export async function ownRequestStatusFor(
  db: Database,
  requestId: string,
  partner: string,
): Promise<OwnRequest['status'] | undefined> {
  const [row] = await db.query<{ status: string }>(
    'SELECT r.status FROM own_requests r JOIN partner_replies p ON p.request_id = r.request_id WHERE r.request_id = ? AND p.agency_id = ?',
    [requestId, partner],
  );
  return row?.status as OwnRequest['status'] | undefined;
}

/** Open requests whose deadline falls in (after, until]: what the deadline watcher acts on. */
export async function openOwnRequestsDue(db: Database, after: number, until: number): Promise<OwnRequest[]> {
  const rows = await db.query<OwnRequestRow>(
    "SELECT * FROM own_requests WHERE status = 'open' AND deadline > ? AND deadline <= ? ORDER BY deadline",
    [after, until],
  );
  return rows.map(toOwnRequest);
}

export async function listOwnRequests(db: Database): Promise<OwnRequest[]> {
  return (await db.query<OwnRequestRow>('SELECT * FROM own_requests ORDER BY created_at DESC')).map(
    toOwnRequest,
  );
}

export async function closeOwnRequest(
  tx: Database,
  requestId: string,
  reason: string,
  now: number,
): Promise<void> {
  await tx.execute(
    "UPDATE own_requests SET status = 'closed', close_reason = ?, updated_at = ? WHERE request_id = ?",
    [reason, now, requestId],
  );
}

export interface PartnerReply {
  agencyId: string;
  status: PartnerStatus;
  reason: string | null;
  note: string | null;
  updatedAt: Date;
}

export async function partnerReplies(db: Database, requestId: string): Promise<PartnerReply[]> {
  const rows = await db.query<{
    agency_id: string;
    status: PartnerStatus;
    reason: string | null;
    note: string | null;
    updated_at: number;
  }>(
    'SELECT agency_id, status, reason, note, updated_at FROM partner_replies WHERE request_id = ? ORDER BY agency_id',
    [requestId],
  );
  return rows.map((r) => ({
    agencyId: r.agency_id,
    status: r.status,
    reason: r.reason,
    note: r.note,
    updatedAt: new Date(Number(r.updated_at)),
  }));
}

export async function recordPartnerReply(
  tx: Database,
  requestId: string,
  agencyId: string,
  reply: { status: PartnerStatus; reason?: string | null; note?: string | null },
  now: number,
): Promise<void> {
  const [current] = await tx.query<{ status: PartnerStatus }>(
    'SELECT status FROM partner_replies WHERE request_id = ? AND agency_id = ?',
    [requestId, agencyId],
  );
  if (current && RANK[current.status] >= RANK[reply.status]) return;
  await tx.execute(
    `INSERT INTO partner_replies (request_id, agency_id, status, reason, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (request_id, agency_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, note = excluded.note, updated_at = excluded.updated_at`,
    [requestId, agencyId, reply.status, reply.reason ?? null, reply.note ?? null, now],
  );
}

export async function addReceivedCandidates(
  tx: Database,
  requestId: string,
  agencyId: string,
  candidates: readonly Candidate[],
  now: number,
): Promise<void> {
  for (const candidate of candidates) {
    await tx.execute(
      'INSERT INTO received_candidates (request_id, agency_id, candidate_ref, candidate, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [requestId, agencyId, candidate.candidateRef, JSON.stringify(candidate), now],
    );
  }
}

export async function receivedCandidates(
  db: Database,
  requestId: string,
): Promise<Array<Candidate & { agencyId: string }>> {
  const rows = await db.query<{ agency_id: string; candidate: string }>(
    'SELECT agency_id, candidate FROM received_candidates WHERE request_id = ? ORDER BY agency_id, received_at',
    [requestId],
  );
  return rows.map((row) => ({ agencyId: row.agency_id, ...(JSON.parse(row.candidate) as Candidate) }));
}
