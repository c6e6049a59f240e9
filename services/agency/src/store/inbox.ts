import { eventFromJson, eventToJson, type NeedsProfile } from '@passport/events';
import type { Database } from '../db/database';

/** Partners' requests addressed to this agency: what its staff search their ecosystem for. */
export type InboxStatus = 'received' | 'acknowledged' | 'answered' | 'closed';

export interface InboxEntry {
  requestId: string;
  homeAgency: string;
  profile: NeedsProfile;
  deadline: Date;
  status: InboxStatus;
  receivedAt: Date;
}

interface InboxRow {
  request_id: string;
  home_agency: string;
  profile: string;
  deadline: number;
  status: InboxStatus;
  received_at: number;
}

const toEntry = (row: InboxRow): InboxEntry => ({
  requestId: row.request_id,
  homeAgency: row.home_agency,
  profile: eventFromJson(row.profile) as NeedsProfile,
  deadline: new Date(Number(row.deadline)),
  status: row.status,
  receivedAt: new Date(Number(row.received_at)),
});

export async function insertInboxEntry(
  tx: Database,
  requestId: string,
  homeAgency: string,
  profile: NeedsProfile,
  now: number,
): Promise<void> {
  await tx.execute(
    'INSERT INTO inbox (request_id, home_agency, profile, deadline, status, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [requestId, homeAgency, eventToJson(profile), profile.deadline.getTime(), 'received', now, now],
  );
}

export async function findInboxEntry(db: Database, requestId: string): Promise<InboxEntry | undefined> {
  const [row] = await db.query<InboxRow>('SELECT * FROM inbox WHERE request_id = ?', [requestId]);
  return row ? toEntry(row) : undefined;
}

/** Inbox entries whose deadline falls in (after, until]. */
export async function inboxDue(db: Database, after: number, until: number): Promise<InboxEntry[]> {
  const rows = await db.query<InboxRow>(
    'SELECT * FROM inbox WHERE deadline > ? AND deadline <= ? ORDER BY deadline',
    [after, until],
  );
  return rows.map(toEntry);
}

export async function hasInboxEntry(db: Database, requestId: string): Promise<boolean> {
  return (await db.query('SELECT 1 AS present FROM inbox WHERE request_id = ?', [requestId])).length > 0;
}

/** Open requests first, soonest deadline first: the order staff work through them. */
export async function listInbox(db: Database): Promise<InboxEntry[]> {
  const rows = await db.query<InboxRow>(
    "SELECT * FROM inbox ORDER BY CASE WHEN status = 'closed' THEN 1 ELSE 0 END, deadline",
  );
  return rows.map(toEntry);
}

export async function setInboxStatus(
  tx: Database,
  requestId: string,
  status: InboxStatus,
  now: number,
): Promise<void> {
  await tx.execute('UPDATE inbox SET status = ?, updated_at = ? WHERE request_id = ?', [
    status,
    now,
    requestId,
  ]);
}

/** The agency whose firm asked, without parsing the profile: every partner event is checked against it. */
export async function inboxHomeAgency(db: Database, requestId: string): Promise<string | undefined> {
  const [row] = await db.query<{ home_agency: string }>(
    'SELECT home_agency FROM inbox WHERE request_id = ?',
    [requestId],
  );
  return row?.home_agency;
}
