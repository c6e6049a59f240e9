import { RotationRefusedError } from '@passport/errors';
import { statementAgency } from '../../live-trust-list';
import { wasRotationApplied } from '../../store/applied-rotations';
import { ALLOWED, ALREADY_APPLIED, type Reaction } from './reaction';

/**
 * Every agency may write the key-rotations topic (ACLs cannot look into a record), so what makes a
 * statement an agency's own is its signatures: the dispatcher already proved the record's signer is its
 * source, and the live trust list applies the statement only if it names that same agency and its
 * current and next keys both signed it. A refused statement throws RotationRefusedError (never
 * retriable), so it is parked with PASSPORT_ROTATION_REFUSED and the trust list stays as it was.
 */
export const keyRotationAnnounced: Reaction<'KeyRotationAnnounced'> = {
  async judge(event, deps) {
    // Known already and the sender's own: a redelivery. Anything else goes to apply, which refuses a
    // statement of another agency (even one applied before) so that the attempt is parked and seen.
    const { statement } = event.payload;
    return statementAgency(statement) === event.source && (await wasRotationApplied(deps.db, statement))
      ? ALREADY_APPLIED
      : ALLOWED;
  },

  async apply(event, deps) {
    if (deps.trust === undefined)
      throw new RotationRefusedError(
        event.source,
        'no-live-trust-list',
        `key rotation statement of ${event.source} not applied: this consumer verifies against a fixed trust list`,
      );
    await deps.trust.apply(deps.db, event.payload.statement, event.source, deps.now());
  },
};
