import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { apiKeyGuard } from './auth';
import type { HttpContext } from './context';
import { errorHandler } from './errors';
import { DEFAULT_BODY_LIMIT_BYTES, limitJsonBodies } from './json-limits';
import { directoryRoutes } from './routes/directory';
import { erasureRoutes } from './routes/erasures';
import { evidenceRoutes } from './routes/evidence';
import { feedRoutes } from './routes/feed';
import { inboxRoutes } from './routes/inbox';
import { keyRoutes } from './routes/keys';
import { operationRoutes } from './routes/operations';
import { outboxRoutes } from './routes/outbox';
import { ownRequestRoutes } from './routes/own-requests';

const OPEN_PATHS = ['/healthz', '/readyz', '/metrics', '/docs'];

/** The back-office API of one agency, with its OpenAPI document at /docs. */
export async function buildHttpServer(context: HttpContext, logger: Logger): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
  });
  limitJsonBodies(app);
  // Bodies are validated by zod inside each route (field paths, contract rules); the JSON schemas attached
  // to routes only document them.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setErrorHandler(errorHandler);
  await app.register(swagger, {
    openapi: {
      info: {
        title: `Business Passport — ${context.agency.name}`,
        version: '0.1.0',
        description: `Back-office API of the ${context.agency.id} agency service.`,
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: "The agency's back-office API key." },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const guard = apiKeyGuard(context.apiKeyHashes);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.some((open) => path === open || path.startsWith(`${open}/`))) return;
    await guard(request);
  });
  operationRoutes(app, context);
  ownRequestRoutes(app, context);
  inboxRoutes(app, context);
  directoryRoutes(app, context);
  feedRoutes(app, context);
  outboxRoutes(app, context);
  keyRoutes(app, context);
  evidenceRoutes(app, context);
  erasureRoutes(app, context);
  return app;
}
