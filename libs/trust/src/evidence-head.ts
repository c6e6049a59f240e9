import { verify as ed25519Verify } from 'node:crypto';
import { z } from 'zod';
import { SignatureRefusedError } from '@passport/errors';
import type { RecordSigner } from './agency-keys';
import { preAuthEncoding } from './record-payload';
import type { TrustList } from './trust-list';

/** DSSE payload type of an agency's statement of its evidence log's head. */
export const EVIDENCE_HEAD_PAYLOAD_TYPE = 'application/vnd.passport.evidence-head.v1+json';
export const MAX_EVIDENCE_HEAD_BYTES = 2048;

const b64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\w-]+$/);
const headSchema = z
  .object({
    agencyId: z.string().max(16),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    entryHash: z
      .string()
      .length(64)
      .regex(/^[0-9a-f]+$/),
    issuedAt: z.iso.datetime(),
  })
  .strict();
const envelopeSchema = z
  .object({
    payloadType: z.literal(EVIDENCE_HEAD_PAYLOAD_TYPE),
    payload: b64(1024),
    signatures: z.array(z.object({ keyid: b64(22), sig: b64(128) }).strict()).length(1),
  })
  .strict();

/** "My evidence log's entry `seq` has hash `entryHash`", said by `agencyId` at `issuedAt`. */
export type EvidenceHead = z.infer<typeof headSchema>;

/**
 * The head of the log as a DSSE envelope signed by the agency's current key. Whoever keeps it (an
 * auditor, a partner) can later show that an export cut short, or a log rewritten before that entry,
 * is not the one the agency stood behind: the agency cannot deny its own signature.
 */
export function signEvidenceHead(head: Omit<EvidenceHead, 'agencyId'>, signer: RecordSigner): string {
  const payload: EvidenceHead = {
    agencyId: signer.agencyId,
    seq: head.seq,
    entryHash: head.entryHash,
    issuedAt: head.issuedAt,
  };
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  const { keyId, signature } = signer.sign(preAuthEncoding(EVIDENCE_HEAD_PAYLOAD_TYPE, bytes));
  return JSON.stringify({
    payloadType: EVIDENCE_HEAD_PAYLOAD_TYPE,
    payload: bytes.toString('base64url'),
    signatures: [{ keyid: keyId, sig: signature.toString('base64url') }],
  });
}

/**
 * The head a statement vouches for, once its length, shape and signature are checked: the key must be
 * the named agency's signing key, valid when the head was issued. Throws SignatureRefusedError.
 */
export function verifyEvidenceHead(statement: string, trustList: TrustList): EvidenceHead {
  const { head, bytes, keyid, sig } = parseHeadStatement(statement);
  const owner = trustList.ownerOfSigningKey(keyid);
  const lookup =
    owner === undefined ? undefined : trustList.signingKey(owner, keyid, new Date(head.issuedAt));
  if (owner === undefined || lookup === undefined || lookup.status === 'unknown')
    throw new SignatureRefusedError('PASSPORT_KEY_UNKNOWN', `signing key ${keyid} is not in the trust list`);
  const pae = preAuthEncoding(EVIDENCE_HEAD_PAYLOAD_TYPE, bytes);
  if (!ed25519Verify(null, pae, trustList.verifierOf(lookup.key), Buffer.from(sig, 'base64url')))
    throw invalid(`the head statement's signature by ${owner} does not verify`);
  if (owner !== head.agencyId)
    throw new SignatureRefusedError(
      'PASSPORT_SIGNER_MISMATCH',
      `the head of ${head.agencyId} is signed by ${owner}`,
    );
  if (lookup.status !== 'valid')
    throw new SignatureRefusedError(
      lookup.status === 'retired' ? 'PASSPORT_KEY_RETIRED' : 'PASSPORT_KEY_NOT_YET_VALID',
      `signing key ${keyid} of ${owner} was not valid when the head was issued`,
    );
  return head;
}

/** Length first, then the envelope's and the payload's shape. */
function parseHeadStatement(statement: string) {
  if (Buffer.byteLength(statement, 'utf8') > MAX_EVIDENCE_HEAD_BYTES)
    throw invalid(`the head statement is longer than ${MAX_EVIDENCE_HEAD_BYTES} bytes`);
  try {
    const envelope = envelopeSchema.parse(JSON.parse(statement));
    const bytes = Buffer.from(envelope.payload, 'base64url');
    const head = headSchema.parse(JSON.parse(bytes.toString('utf8')));
    const [{ keyid, sig }] = envelope.signatures as [{ keyid: string; sig: string }];
    return { head, bytes, keyid, sig };
  } catch {
    throw invalid('the head statement is not a DSSE envelope of an evidence head');
  }
}

function invalid(message: string): SignatureRefusedError {
  return new SignatureRefusedError('PASSPORT_SIGNATURE_INVALID', message, { details: { field: 'head' } });
}
