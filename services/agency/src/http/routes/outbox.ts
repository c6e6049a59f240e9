import { BodyValidationError, NotFoundError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import { listQuarantined, releaseFromQuarantine } from '../../store/outbox-quarantine';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };
const idParam = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'The outbox row id.' } },
  required: ['id'],
};

/** Checked for length before its shape, so a huge path segment costs no more than a short one. */
function rowId(raw: string): number {
  if (raw.length > 15 || !/^[1-9][0-9]*$/.test(raw))
    throw new BodyValidationError([{ path: 'id', message: 'must be an outbox row id (a positive integer)' }]);
  return Number(raw);
}

/** Outbox rows the relay set aside because publishing them cannot succeed, and putting one back. */
export function outboxRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get(
    '/outbox/quarantine',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Quarantined outbox rows, oldest first (?limit=…): error code and message, and how many later rows of the same request wait behind each',
        ...auth,
      },
    },
    async (request) => {
      const query = request.query as { limit?: string };
      const limit = Math.min(500, Math.max(1, Number(query.limit ?? 100) || 100));
      return { rows: await listQuarantined(context.db, limit) };
    },
  );

  app.post(
    '/outbox/quarantine/:id/retry',
    {
      schema: {
        tags: ['operations'],
        summary:
          "Put a quarantined row back in line (after fixing its cause); it is published with its request's held rows",
        params: idParam,
        ...auth,
      },
    },
    async (request) => {
      const id = rowId((request.params as { id: string }).id);
      if (!(await releaseFromQuarantine(context.db, id)))
        throw new NotFoundError(`quarantined outbox row ${id}`);
      context.afterCommit();
      return { id, status: 'queued' };
    },
  );
}
