import { verify as ed25519Verify } from 'node:crypto';
import { z } from 'zod';
import { SignatureRefusedError } from '@passport/errors';
import { cloudEventSource } from '@passport/events';
import type { EvidenceEntry } from './evidence-entry';
import { keptHeaderText } from './evidence-record';
import { preAuthEncoding, RECORD_PAYLOAD_TYPE } from './record-payload';
import { readSignatureHeader, SIGNATURE_HEADER } from './signature-header';
import type { TrustList } from './trust-list';

/** The signed payload's shape (record-payload.ts), bounded as the signing limits bound it. */
const signedPayloadSchema = z.object({
  headers: z.array(z.tuple([z.string().max(64), z.array(z.string().max(2048)).max(32)])).max(32),
  key: z.string().max(2048).nullable(),
  topic: z.string().max(249),
  valueSha256: z.string().max(64).nullable(),
});
type SignedPayload = z.infer<typeof signedPayloadSchema>;

/**
 * Re-verifies the signature an entry recorded, without the record's value: the signature covers the
 * detached payload (topic, key, value hash, CloudEvents headers), which the entry keeps whole. The
 * payload must also agree with the entry's own topic, key, value hash, ce_id, ce_type and ce_source,
 * so an entry cannot borrow another record's signature. The key's validity is asked at `recordedAt`,
 * the time the agency judged the record. Throws SignatureRefusedError with the refusal's code.
 */
export function verifyEvidenceSignature(entry: EvidenceEntry, trustList: TrustList): { signer: string } {
  if (entry.signature === null || entry.signedPayload === null)
    throw new SignatureRefusedError('PASSPORT_SIGNATURE_MISSING', 'the entry keeps no signature to verify');
  const { keyId, signature } = readSignatureHeader({ [SIGNATURE_HEADER]: entry.signature });
  const payload = parsePayload(entry.signedPayload);
  const mismatch = disagreement(entry, payload);
  if (mismatch)
    throw new SignatureRefusedError(
      'PASSPORT_SIGNATURE_INVALID',
      `the signed payload's ${mismatch} is not the entry's`,
      {
        details: { field: mismatch },
      },
    );
  const signer = trustList.ownerOfSigningKey(keyId);
  const lookup =
    signer === undefined ? undefined : trustList.signingKey(signer, keyId, new Date(entry.recordedAt));
  if (signer === undefined || lookup === undefined || lookup.status === 'unknown')
    throw new SignatureRefusedError('PASSPORT_KEY_UNKNOWN', `signing key ${keyId} is not in the trust list`);
  const bytes = preAuthEncoding(RECORD_PAYLOAD_TYPE, Buffer.from(entry.signedPayload, 'utf8'));
  if (!ed25519Verify(null, bytes, trustList.verifierOf(lookup.key), signature))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNATURE_INVALID',
      `the signature by ${signer} does not verify`,
    );
  if (entry.source !== cloudEventSource(signer))
    throw new SignatureRefusedError(
      'PASSPORT_SIGNER_MISMATCH',
      `signed by ${signer}, but ce_source is not theirs`,
    );
  if (lookup.status === 'retired')
    throw new SignatureRefusedError(
      'PASSPORT_KEY_RETIRED',
      `signing key ${keyId} of ${signer} was retired then`,
    );
  if (lookup.status === 'not-yet-valid')
    throw new SignatureRefusedError(
      'PASSPORT_KEY_NOT_YET_VALID',
      `signing key ${keyId} of ${signer} was not valid yet`,
    );
  return { signer };
}

function parsePayload(text: string): SignedPayload {
  try {
    const parsed = signedPayloadSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below with the same code as any other unreadable payload
  }
  throw new SignatureRefusedError('PASSPORT_SIGNATURE_INVALID', 'the signed payload is not readable', {
    details: { field: 'signedPayload' },
  });
}

/** The first field on which the signed payload and the entry differ, if any. */
function disagreement(entry: EvidenceEntry, payload: SignedPayload): string | undefined {
  if (payload.topic !== entry.topic) return 'topic';
  if (payload.key !== entry.key) return 'key';
  if (payload.valueSha256 !== entry.valueSha256) return 'valueSha256';
  const header = (name: string): string | null => {
    const values = payload.headers.find(([headerName]) => headerName === name)?.[1];
    return values?.length === 1 && values[0] !== undefined
      ? keptHeaderText(Buffer.from(values[0], 'base64url'))
      : null;
  };
  if (header('ce_id') !== entry.eventId) return 'eventId';
  if (header('ce_type') !== entry.eventType) return 'eventType';
  if (header('ce_source') !== entry.source) return 'source';
  return undefined;
}
