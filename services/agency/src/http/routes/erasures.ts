import type { FastifyInstance } from 'fastify';
import { erasuresOf } from '../../store/erasures';
import type { HttpContext } from '../context';

/** The erasure records of a request, on either side: what was erased and which keys were destroyed. */
export function erasureRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get(
    '/erasures/:requestId',
    {
      schema: {
        tags: ['own requests'],
        summary: "A request's erasure records (no personal data): categories, destroyed key ids, events",
        security: [{ apiKey: [] }],
      },
    },
    async (request) => {
      const { requestId } = request.params as { requestId: string };
      return (await erasuresOf(context.db, requestId)).map((record) => ({
        ...record,
        erasedAt: new Date(record.erasedAt).toISOString(),
      }));
    },
  );
}
