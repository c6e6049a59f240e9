import { BodyTooDeepError } from '@passport/errors';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '@passport/events';
import type { FastifyInstance } from 'fastify';

/** Every back-office body but the directory import (which sets its own) fits well within this. */
export const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;

/**
 * JSON bodies are measured for nesting before they are parsed: the scan is linear and uses no stack,
 * while everything after it (the prototype-poisoning scan, date revival, zod) walks the value
 * recursively. The size limit is fastify's, checked while the body streams in.
 */
export function limitJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
      done(new BodyTooDeepError(MAX_JSON_DEPTH), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
