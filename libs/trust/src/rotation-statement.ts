import { verify as ed25519Verify } from 'node:crypto';
import { z } from 'zod';
import { SignatureRefusedError, TrustListInvalidError } from '@passport/errors';
import type { AgencyKeys } from './agency-keys';
import { fromBase64url, publicKeyFromRaw } from './key-id';
import type { KeyGenerationInfo } from './key-generation';
import { preAuthEncoding } from './record-payload';
import { TrustList, trustListEntries } from './trust-list';

/** DSSE payload type of a rotation statement. */
export const ROTATION_PAYLOAD_TYPE = 'application/vnd.passport.key-rotation.v1+json';
export const MAX_ROTATION_STATEMENT_BYTES = 4096;

const b64 = z
  .string()
  .regex(/^[\w-]+$/)
  .max(64);
const publicKey = z.object({ keyId: b64, publicKey: b64 }).strict();
const payloadSchema = z
  .object({
    agencyId: z.string().max(16),
    issuedAt: z.iso.datetime(),
    previous: z.object({ signingKeyId: b64, encryptionKeyId: b64 }).strict(),
    next: z
      .object({ signingKey: publicKey, encryptionKey: publicKey, activeFrom: z.iso.datetime() })
      .strict(),
    retirePreviousAt: z.iso.datetime(),
  })
  .strict();
const envelopeSchema = z
  .object({
    payloadType: z.literal(ROTATION_PAYLOAD_TYPE),
    payload: z
      .string()
      .regex(/^[\w-]+$/)
      .max(MAX_ROTATION_STATEMENT_BYTES),
    signatures: z
      .array(
        z
          .object({
            keyid: b64,
            sig: z
              .string()
              .regex(/^[\w-]+$/)
              .max(128),
          })
          .strict(),
      )
      .length(2),
  })
  .strict();

type RotationPayload = z.infer<typeof payloadSchema>;

/**
 * A DSSE envelope by which an agency introduces its next key generation: signed by the generation that
 * signs now (who says it) and by the next one (proof it holds the new private key). Partners apply it
 * to their trust lists with applyRotationStatement; no operator is needed.
 */
export function createRotationStatement(
  keys: AgencyKeys,
  next: KeyGenerationInfo,
  retirePreviousAt: Date,
): string {
  const previous = keys.current();
  const payload: RotationPayload = {
    agencyId: keys.agencyId,
    issuedAt: next.createdAt.toISOString(),
    previous: { signingKeyId: previous.signingKeyId, encryptionKeyId: previous.encryptionKeyId },
    next: {
      signingKey: { keyId: next.signingKeyId, publicKey: next.signingPublicKey },
      encryptionKey: { keyId: next.encryptionKeyId, publicKey: next.encryptionPublicKey },
      activeFrom: next.activeFrom.toISOString(),
    },
    retirePreviousAt: retirePreviousAt.toISOString(),
  };
  checkOverlap(payload);
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  const pae = preAuthEncoding(ROTATION_PAYLOAD_TYPE, bytes);
  const signatures = [previous.generation, next.generation].map((generation) => {
    const { keyId, signature } = keys.signWithGeneration(generation, pae);
    return { keyid: keyId, sig: signature.toString('base64url') };
  });
  return JSON.stringify({
    payloadType: ROTATION_PAYLOAD_TYPE,
    payload: bytes.toString('base64url'),
    signatures,
  });
}

/**
 * The trust list with the statement's next keys added (valid from issuedAt) and the previous keys
 * retired at retirePreviousAt. Refused unless the previous key is trusted for that agency at `at` and
 * both signatures verify. Applying the same statement twice gives the same list.
 */
export function applyRotationStatement(trustList: TrustList, statement: string, at: Date): TrustList {
  const { payload, bytes, signatures } = parseStatement(statement);
  const pae = preAuthEncoding(ROTATION_PAYLOAD_TYPE, bytes);
  const [byPrevious, byNext] = signatures as [Sig, Sig];
  if (byPrevious.keyid !== payload.previous.signingKeyId || byNext.keyid !== payload.next.signingKey.keyId)
    throw refused(
      'PASSPORT_SIGNATURE_INVALID',
      'the statement must be signed by the previous, then the next key',
    );
  const lookup = trustList.signingKey(payload.agencyId, byPrevious.keyid, at);
  if (lookup.status === 'unknown')
    throw refused(
      'PASSPORT_KEY_UNKNOWN',
      `key ${byPrevious.keyid} is not a signing key of ${payload.agencyId}`,
    );
  if (lookup.status !== 'valid')
    throw refused('PASSPORT_KEY_RETIRED', `key ${byPrevious.keyid} is not valid now`);
  const previousKey = trustList.verifierOf(lookup.key);
  const nextKey = publicKeyFromRaw(
    'Ed25519',
    fromBase64url(payload.next.signingKey.publicKey) ?? Buffer.alloc(0),
  );
  if (!verifies(pae, byPrevious, previousKey) || !verifies(pae, byNext, nextKey))
    throw refused('PASSPORT_SIGNATURE_INVALID', 'a signature of the rotation statement does not verify');
  return TrustList.fromDocument(rotatedDocument(trustList, payload));
}

type Sig = { keyid: string; sig: string };

function parseStatement(statement: string): { payload: RotationPayload; bytes: Buffer; signatures: Sig[] } {
  if (Buffer.byteLength(statement, 'utf8') > MAX_ROTATION_STATEMENT_BYTES)
    throw invalid('', `a rotation statement is longer than ${MAX_ROTATION_STATEMENT_BYTES} bytes`);
  let envelope: z.infer<typeof envelopeSchema>;
  try {
    envelope = envelopeSchema.parse(JSON.parse(statement));
  } catch {
    throw invalid('envelope', 'is not a DSSE envelope of a rotation statement');
  }
  const bytes = Buffer.from(envelope.payload, 'base64url');
  let payload: RotationPayload;
  try {
    payload = payloadSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    const path = error instanceof z.ZodError ? error.issues[0]?.path.join('.') : undefined;
    throw invalid(`payload${path ? `.${path}` : ''}`, 'is not a rotation statement payload');
  }
  checkOverlap(payload);
  return { payload, bytes, signatures: envelope.signatures };
}

/** A new key is introduced before it signs, and the old one stays valid after the new one starts. */
function checkOverlap(payload: RotationPayload): void {
  const issued = Date.parse(payload.issuedAt);
  const active = Date.parse(payload.next.activeFrom);
  if (active <= issued) throw invalid('next.activeFrom', 'must be later than issuedAt');
  if (Date.parse(payload.retirePreviousAt) <= active)
    throw invalid('retirePreviousAt', 'must be later than next.activeFrom');
}

function rotatedDocument(trustList: TrustList, payload: RotationPayload) {
  const document = trustList.toDocument();
  const agency = document.agencies[payload.agencyId];
  if (agency === undefined) throw invalid('agencyId', 'is not in the trust list');
  const entries = trustListEntries({
    createdAt: new Date(payload.issuedAt),
    signingKeyId: payload.next.signingKey.keyId,
    signingPublicKey: payload.next.signingKey.publicKey,
    encryptionKeyId: payload.next.encryptionKey.keyId,
    encryptionPublicKey: payload.next.encryptionKey.publicKey,
  });
  const retire = (key: { keyId: string; retiredAt?: string | undefined }, keyId: string) => {
    if (key.keyId !== keyId) return;
    const earlier =
      key.retiredAt !== undefined && Date.parse(key.retiredAt) < Date.parse(payload.retirePreviousAt);
    if (!earlier) key.retiredAt = payload.retirePreviousAt;
  };
  agency.signingKeys.forEach((key) => retire(key, payload.previous.signingKeyId));
  agency.encryptionKeys.forEach((key) => retire(key, payload.previous.encryptionKeyId));
  if (!agency.signingKeys.some((key) => key.keyId === entries.signing.keyId))
    agency.signingKeys.push(entries.signing);
  if (!agency.encryptionKeys.some((key) => key.keyId === entries.encryption.keyId))
    agency.encryptionKeys.push(entries.encryption);
  return document;
}

function verifies(pae: Buffer, signature: Sig, key: ReturnType<typeof publicKeyFromRaw>): boolean {
  const bytes = fromBase64url(signature.sig);
  return bytes !== undefined && ed25519Verify(null, pae, key, bytes);
}

function refused(
  code: 'PASSPORT_KEY_UNKNOWN' | 'PASSPORT_KEY_RETIRED' | 'PASSPORT_SIGNATURE_INVALID',
  message: string,
) {
  return new SignatureRefusedError(code, `rotation statement refused: ${message}`);
}

function invalid(path: string, message: string): TrustListInvalidError {
  return new TrustListInvalidError([{ path: `rotation.${path}`.replace(/\.$/, ''), message }]);
}
