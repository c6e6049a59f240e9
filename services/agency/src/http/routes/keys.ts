import type { FastifyInstance } from 'fastify';
import { rotateKeys, type RotationResult } from '../../handlers/commands/rotate-keys';
import { rotateKeysBody } from '../bodies';
import { commandRoute } from '../command-route';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };

/** The agency's own key generations, the trust list it verifies with now, and key rotation. */
export function keyRoutes(app: FastifyInstance, context: HttpContext): void {
  const keys = context.keys;
  if (keys === undefined) return;
  let rotating: Promise<unknown> = Promise.resolve();

  commandRoute(app, context, {
    url: '/keys/rotate',
    tag: 'keys',
    summary:
      'Introduce the next key generation: it signs from activeFrom; partners learn it from a signed rotation statement on passport.key-rotations.v1, and keep accepting the current key until retirePreviousAt',
    body: rotateKeysBody,
    // One rotation at a time: the second waits, then finds the first one's generation pending (409).
    handle: (body, _params, deps) => {
      const run = rotating.then(() => rotateKeys(body, deps, keys.agencyKeys, keys.trust));
      rotating = run.catch(() => undefined);
      return run;
    },
    afterCommit: (result) => keys.trust.adopt((result as RotationResult).statement, new Date()),
  });

  app.get(
    '/keys',
    {
      schema: {
        tags: ['keys'],
        summary:
          "This agency's key generations (public keys only) and the trust list it verifies with now: TRUST_LIST_FILE plus the rotations applied",
        ...auth,
      },
    },
    async () => ({
      agencyId: keys.agencyKeys.agencyId,
      signingKeyId: keys.agencyKeys.current().signingKeyId,
      generations: keys.agencyKeys.generations().map((generation) => ({
        generation: generation.generation,
        signingKeyId: generation.signingKeyId,
        signingPublicKey: generation.signingPublicKey,
        encryptionKeyId: generation.encryptionKeyId,
        encryptionPublicKey: generation.encryptionPublicKey,
        createdAt: generation.createdAt.toISOString(),
        activeFrom: generation.activeFrom.toISOString(),
      })),
      trustList: keys.trust.current().toDocument(),
    }),
  );
}
