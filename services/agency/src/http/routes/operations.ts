import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context';

/** Liveness, readiness and metrics: open, for the platform's probes and Prometheus. */
export function operationRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
    agency: context.agency.id,
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Broker, registry and database answer' } },
    async (_request, reply) => {
      const checks = await context.readiness();
      const ready = Object.values(checks).every((check) => check.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics' } },
    async (_request, reply) => {
      const { contentType, body } = await context.metricsText();
      return reply.type(contentType).send(body);
    },
  );
}
