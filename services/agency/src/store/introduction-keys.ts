import type { Database } from '../db/database';

/**
 * Per-introduction keys (libs/trust `createIntroductionKey`, README "Sealed personal data"). `own`
 * rows hold our private key blob: a partner's per-request key (candidateRef `''`) that the home
 * agency seals the firm to, or a home agency's per-introduction key the candidate is sealed to.
 * `peer` rows hold the other agency's announced public key we seal to. Deleting an `own` row makes
 * every copy sealed to it unreadable: that is the erasure.
 */
export type KeySide = 'own' | 'peer';

export interface IntroductionKeyRow {
  requestId: string;
  /** The other agency of the exchange: the home agency for a partner's key, and vice versa. */
  agencyId: string;
  /** `''` for a partner's per-request key, the candidate's ref for a home agency's per-introduction key. */
  candidateRef: string;
  side: KeySide;
  keyId: string;
  publicKey: string;
  privateBlob: string | null;
}

/** The request-wide key: a partner's, announced in CandidatesProposed. */
export const PER_REQUEST = '';

export async function saveIntroductionKey(db: Database, key: IntroductionKeyRow, now: number): Promise<void> {
  await db.execute(
    `INSERT INTO introduction_keys (request_id, agency_id, candidate_ref, side, key_id, public_key, private_blob, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (request_id, agency_id, candidate_ref, side) DO UPDATE SET key_id = excluded.key_id,
       public_key = excluded.public_key, private_blob = excluded.private_blob, created_at = excluded.created_at`,
    [key.requestId, key.agencyId, key.candidateRef, key.side, key.keyId, key.publicKey, key.privateBlob, now],
  );
}

interface Row {
  request_id: string;
  agency_id: string;
  candidate_ref: string;
  side: KeySide;
  key_id: string;
  public_key: string;
  private_blob: string | null;
}

export async function findIntroductionKey(
  db: Database,
  requestId: string,
  agencyId: string,
  candidateRef: string,
  side: KeySide,
): Promise<IntroductionKeyRow | undefined> {
  const [row] = await db.query<Row>(
    'SELECT * FROM introduction_keys WHERE request_id = ? AND agency_id = ? AND candidate_ref = ? AND side = ?',
    [requestId, agencyId, candidateRef, side],
  );
  return row === undefined
    ? undefined
    : {
        requestId: row.request_id,
        agencyId: row.agency_id,
        candidateRef: row.candidate_ref,
        side: row.side,
        keyId: row.key_id,
        publicKey: row.public_key,
        privateBlob: row.private_blob,
      };
}

/** Our own key of a request by its id: the recipient key id a sealed field names. */
export async function findOwnKeyById(
  db: Database,
  requestId: string,
  keyId: string,
): Promise<{ keyId: string; privateBlob: string } | undefined> {
  const [row] = await db.query<{ key_id: string; private_blob: string | null }>(
    "SELECT key_id, private_blob FROM introduction_keys WHERE request_id = ? AND key_id = ? AND side = 'own'",
    [requestId, keyId],
  );
  return row?.private_blob ? { keyId: row.key_id, privateBlob: row.private_blob } : undefined;
}
