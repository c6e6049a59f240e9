import type { AgencyKeys, RecordSigner, Signature } from '@passport/trust';
import type { LiveTrustList } from './live-trust-list';

/**
 * Signs with the newest key generation that has started (activeFrom) and that the agency's own live
 * trust list holds valid, i.e. one whose rotation statement was applied and published. A generation
 * whose announcement never committed (the rotation's transaction failed after its key file was
 * written, or the process died in between) therefore never signs: partners would park every record
 * signed with a key nobody told them of. With no such generation it signs as the key store says, and
 * the start-up check (checkOwnKeyTrusted) names the problem.
 */
export function announcedSigner(
  keys: AgencyKeys,
  trust: LiveTrustList,
  now: () => Date = () => new Date(),
): RecordSigner {
  return {
    agencyId: keys.agencyId,
    sign(message: Uint8Array): Signature {
      const at = now();
      const list = trust.current();
      const generations = keys.generations();
      for (let index = generations.length - 1; index >= 0; index -= 1) {
        const generation = generations[index];
        if (generation === undefined || generation.activeFrom.getTime() > at.getTime()) continue;
        if (list.signingKey(keys.agencyId, generation.signingKeyId, at).status === 'valid')
          return keys.signWithGeneration(generation.generation, message);
      }
      return keys.sign(message);
    },
  };
}
