import { createHash } from 'node:crypto';
import type { Database } from '../db/database';

export interface AppliedRotation {
  agencyId: string;
  statement: string;
  appliedAt: Date;
}

/** A statement is named by the hash of its exact text: the same statement is stored once. */
export const statementDigest = (statement: string): string =>
  createHash('sha256').update(statement, 'utf8').digest('base64url');

/** Keeps an applied statement in the caller's transaction; false when it was stored before. */
export async function recordAppliedRotation(tx: Database, rotation: AppliedRotation): Promise<boolean> {
  const changed = await tx.execute(
    `INSERT INTO applied_rotations (statement_sha256, agency_id, statement, applied_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (statement_sha256) DO NOTHING`,
    [
      statementDigest(rotation.statement),
      rotation.agencyId,
      rotation.statement,
      rotation.appliedAt.getTime(),
    ],
  );
  return changed > 0;
}

export async function wasRotationApplied(db: Database, statement: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS found FROM applied_rotations WHERE statement_sha256 = ?', [
    statementDigest(statement),
  ]);
  return rows.length > 0;
}

/** Every applied statement in the order it was applied, to replay over the trust list file at start. */
export async function appliedRotations(db: Database): Promise<AppliedRotation[]> {
  const rows = await db.query<{ agency_id: string; statement: string; applied_at: number }>(
    'SELECT agency_id, statement, applied_at FROM applied_rotations ORDER BY id',
  );
  return rows.map((row) => ({
    agencyId: row.agency_id,
    statement: row.statement,
    appliedAt: new Date(Number(row.applied_at)),
  }));
}
