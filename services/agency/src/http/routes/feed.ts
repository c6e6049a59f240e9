import { BodyValidationError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import { feedAfter } from '../../store/feed';
import { DELIVERY_STATUSES, deliveryLog } from '../../store/webhook-deliveries';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };

/** For back offices that cannot receive calls: the same notifications as the webhook, pulled by cursor. */
export function feedRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get(
    '/events',
    {
      schema: {
        tags: ['back office'],
        summary: 'Notifications after a cursor (?after=<cursor>&limit=…), oldest first',
        ...auth,
      },
    },
    async (request) => {
      const query = request.query as { after?: string; limit?: string };
      const after = Math.max(0, Number(query.after ?? 0) || 0);
      const limit = Math.min(500, Math.max(1, Number(query.limit ?? 100) || 100));
      const events = await feedAfter(context.db, after, limit);
      return { events, next: events.at(-1)?.cursor ?? after };
    },
  );

  app.get(
    '/webhooks/deliveries',
    {
      schema: {
        tags: ['back office'],
        summary: 'The webhook delivery log, newest first (?status=pending for the unacknowledged; &limit=…)',
        ...auth,
      },
    },
    async (request) => {
      const query = request.query as { limit?: string; status?: string };
      const limit = Math.min(500, Math.max(1, Number(query.limit ?? 100) || 100));
      const status = DELIVERY_STATUSES.find((known) => known === query.status);
      // A misspelt filter would otherwise answer with the whole log, looking like an answer to it.
      if (query.status !== undefined && status === undefined)
        throw new BodyValidationError([
          { path: 'status', message: `must be one of ${DELIVERY_STATUSES.join(', ')}` },
        ]);
      return deliveryLog(context.db, limit, status);
    },
  );
}
