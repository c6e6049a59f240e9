import {
  BodyTooLargeError,
  BodyValidationError,
  EventValidationError,
  isPassportError,
  type ErrorCode,
} from '@passport/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** One error shape for every endpoint: `{ error: { code, message, issues? } }`. */
export interface ErrorBody {
  error: {
    code: ErrorCode | 'PASSPORT_INTERNAL';
    message: string;
    issues?: Array<{ path: string; message: string }>;
  };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  PASSPORT_BODY_INVALID: 400,
  PASSPORT_BODY_TOO_LARGE: 413,
  PASSPORT_BODY_TOO_DEEP: 400,
  PASSPORT_EVENT_INVALID: 422,
  PASSPORT_UNAUTHENTICATED: 401,
  PASSPORT_NOT_FOUND: 404,
  PASSPORT_CONFLICT: 409,
  PASSPORT_IDEMPOTENCY_KEY_REUSED: 422,
};

export function bodyError(error: z.ZodError): BodyValidationError {
  return new BodyValidationError(
    error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}

/** Event rules speak of `payload.…`; the caller sent the same fields at the top of its body. */
const toBodyPath = (path: string) => path.replace(/^payload\./, '');

export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof EventValidationError) {
    const issues = error.issues.map((issue) => ({ path: toBodyPath(issue.path), message: issue.message }));
    return {
      status: 422,
      body: {
        error: { code: error.code, message: `Invalid at ${issues[0]?.path}: ${issues[0]?.message}`, issues },
      },
    };
  }
  if (error instanceof BodyValidationError) {
    return {
      status: 400,
      body: { error: { code: error.code, message: error.message, issues: [...error.issues] } },
    };
  }
  if (isPassportError(error) && STATUS[error.code]) {
    return {
      status: STATUS[error.code] as number,
      body: { error: { code: error.code, message: error.message } },
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    // Malformed JSON, wrong content type, body too large: fastify's own 4xx, in our shape.
    return {
      status: fastifyError.statusCode,
      body: { error: { code: 'PASSPORT_BODY_INVALID', message: fastifyError.message } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'PASSPORT_INTERNAL', message: 'internal error; see the service log' } },
  };
}

/** fastify's own code for a body over the route's limit (declared or streamed). */
const FASTIFY_BODY_TOO_LARGE = 'FST_ERR_CTP_BODY_TOO_LARGE';

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const tooLarge = (error as FastifyError | undefined)?.code === FASTIFY_BODY_TOO_LARGE;
  const { status, body } = errorResponse(
    tooLarge ? new BodyTooLargeError(request.routeOptions.bodyLimit ?? 0) : error,
  );
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).send(body);
}
