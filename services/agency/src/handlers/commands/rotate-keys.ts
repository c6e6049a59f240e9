import { BodyValidationError, ConflictError } from '@passport/errors';
import { createRotationStatement, type AgencyKeys } from '@passport/trust';
import type { LiveTrustList } from '../../live-trust-list';
import { emit, type HandlerDeps } from '../deps';

export interface RotateKeysInput {
  activeFrom: Date;
  retirePreviousAt: Date;
}

export interface RotationResult {
  rotationId: string;
  eventId: string;
  generation: number;
  signingKeyId: string;
  encryptionKeyId: string;
  previousSigningKeyId: string;
  activeFrom: string;
  retirePreviousAt: string;
  /** The statement as published: public keys and signatures only, for the operator's records. */
  statement: string;
}

/**
 * Introduces the agency's next key generation on the exchange: the generation is created (it signs
 * only from `activeFrom`), a rotation statement signed by the current and the next key is recorded
 * for our own live trust list and queued in the outbox as KeyRotationAnnounced, in the caller's
 * transaction; the caller adopts it into the live list after the commit. Partners apply it when they read it; the current key stays valid for them until
 * `retirePreviousAt`, so records it signed before the switch still verify during the overlap.
 */
export async function rotateKeys(
  input: RotateKeysInput,
  deps: HandlerDeps,
  keys: AgencyKeys,
  trust: LiveTrustList,
): Promise<RotationResult> {
  const now = deps.now();
  const previous = keys.current();
  // Judged by the key store's own clock, the one that decides which generation signs.
  const pending = keys.generations().find((generation) => generation.generation > previous.generation);
  if (pending !== undefined)
    throw new ConflictError(
      `key generation ${pending.generation} of ${keys.agencyId} is waiting to start signing at ${pending.activeFrom.toISOString()}; rotate again after that`,
    );
  if (trust.current().signingKey(keys.agencyId, previous.signingKeyId, now).status !== 'valid')
    throw new ConflictError(
      `the signing key of generation ${previous.generation} (${previous.signingKeyId}) is not in ${keys.agencyId}'s trust list: ` +
        'its announcement never completed; remove that generation file from AGENCY_KEYS_DIR, or have the operators list the key, then rotate again',
    );
  if (input.activeFrom.getTime() <= now.getTime())
    throw new BodyValidationError([
      { path: 'activeFrom', message: 'must lie ahead: partners learn a key before it signs' },
    ]);
  if (input.retirePreviousAt.getTime() <= input.activeFrom.getTime())
    throw new BodyValidationError([
      {
        path: 'retirePreviousAt',
        message: 'must be later than activeFrom: records the current key signed need an overlap to be read',
      },
    ]);
  const next = await keys.rotate(input.activeFrom);
  const statement = createRotationStatement(keys, next, input.retirePreviousAt);
  // In force here only once this transaction has committed (the route adopts it then).
  await trust.record(deps.db, statement, keys.agencyId, now);
  const rotationId = deps.newId();
  const event = await emit(deps, rotationId, { type: 'KeyRotationAnnounced', payload: { statement } });
  return {
    rotationId,
    eventId: event.eventId,
    generation: next.generation,
    signingKeyId: next.signingKeyId,
    encryptionKeyId: next.encryptionKeyId,
    previousSigningKeyId: previous.signingKeyId,
    activeFrom: next.activeFrom.toISOString(),
    retirePreviousAt: input.retirePreviousAt.toISOString(),
    statement,
  };
}
