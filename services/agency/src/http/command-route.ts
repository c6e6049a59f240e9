import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BodyValidationError } from '@passport/errors';
import { z } from 'zod';
import type { Database } from '../db/database';
import { handlerDeps, type HandlerDeps } from '../handlers/deps';
import { bodyError } from './errors';
import { reviveDates } from './bodies';
import type { HttpContext } from './context';
import { runCommand } from './idempotency';
import { unknownEnumValues } from './unknown-enum-values';
import { jsonSchemaOf } from './openapi';

interface CommandRoute<Body extends z.ZodType> {
  url: string;
  summary: string;
  tag: 'own requests' | 'inbox' | 'keys';
  body: Body;
  handle: (body: z.output<Body>, params: Record<string, string>, deps: HandlerDeps) => Promise<unknown>;
  /** Runs once the command's transaction has committed (not on an idempotent replay), with its result. */
  afterCommit?: (result: unknown) => void;
}

function parseBody<Body extends z.ZodType>(schema: Body, request: FastifyRequest): z.output<Body> {
  const input = reviveDates(request.body ?? {});
  const result = schema.safeParse(input);
  if (!result.success) throw bodyError(result.error);
  const unknownValues = unknownEnumValues(schema, input);
  if (unknownValues.length > 0) throw new BodyValidationError(unknownValues);
  return result.data;
}

/**
 * A POST that changes state: body checked against its zod schema, the command run in one transaction
 * with its outbox rows (and its idempotency record), 201 with the command's result.
 */
export function commandRoute<Body extends z.ZodType>(
  app: FastifyInstance,
  context: HttpContext,
  route: CommandRoute<Body>,
): void {
  app.post(
    route.url,
    {
      schema: {
        tags: [route.tag],
        summary: route.summary,
        body: jsonSchemaOf(route.body),
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', description: 'Makes the POST safe to retry.' } },
        },
        security: [{ apiKey: [] }],
      },
    },
    async (request, reply) => {
      const body = parseBody(route.body, request);
      const params = request.params as Record<string, string>;
      const traceparent =
        typeof request.headers.traceparent === 'string' ? request.headers.traceparent : undefined;
      const result = await runCommand(context.db, request, async (tx: Database) => ({
        statusCode: 201,
        body: await route.handle(
          body,
          params,
          handlerDeps(
            tx,
            context.agency,
            traceparent,
            context.matcher,
            context.webhooks,
            context.candidateRefs,
            context.sealing,
          ),
        ),
      }));
      if (!result.replayed) {
        route.afterCommit?.(result.body);
        context.afterCommit();
      }
      return reply
        .status(result.statusCode)
        .header('idempotent-replayed', String(result.replayed))
        .send(result.body);
    },
  );
}
