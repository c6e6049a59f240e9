import { BodyValidationError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import { validateDirectoryFile } from '../../directory/import';
import { companiesPage, directorySize, upsertCompanies } from '../../store/directory';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };

/**
 * The agency's ecosystem directory. Imports take CSV (text/csv) or a JSON array; each row is validated
 * on its own, accepted rows are upserted by the agency's company id, and the report names the line and
 * field of every rejected one. The search index is rebuilt after each import.
 */
export function directoryRoutes(app: FastifyInstance, context: HttpContext): void {
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: 100 * 1_048_576 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/directory/import',
    {
      bodyLimit: 100 * 1_048_576,
      schema: {
        tags: ['directory'],
        summary: 'Import companies from CSV or a JSON array (upsert by companyId)',
        ...auth,
      },
    },
    async (request) => {
      const isCsv = /csv/.test(request.headers['content-type'] ?? '');
      if (!isCsv && !Array.isArray(request.body))
        throw new BodyValidationError([
          { path: 'file', message: 'send text/csv, or application/json with an array of companies' },
        ]);
      const text = isCsv ? String(request.body) : JSON.stringify(request.body);
      const { accepted, rejected } = validateDirectoryFile(text, isCsv ? 'csv' : 'json');
      const written = await context.db.transaction((tx) =>
        upsertCompanies(
          tx,
          accepted.map((row) => row.company),
          Date.now(),
        ),
      );
      const size = await context.matcher.reload(context.db);
      return {
        received: accepted.length + new Set(rejected.map((r) => r.line)).size,
        accepted: accepted.length,
        ...written,
        rejected,
        directorySize: size,
      };
    },
  );

  app.get(
    '/directory',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Companies of the directory in id order (paged with ?limit= and ?after=<last companyId> or ?offset=)',
        ...auth,
      },
    },
    async (request) => {
      const query = request.query as { offset?: string; limit?: string; after?: string };
      const offset = Math.max(0, Number(query.offset ?? 0) || 0);
      const limit = Math.min(500, Math.max(1, Number(query.limit ?? 50) || 50));
      const after = typeof query.after === 'string' && query.after.length <= 200 ? query.after : undefined;
      const total = await directorySize(context.db);
      const companies = await companiesPage(context.db, { limit, offset, after });
      const next = companies.length === limit ? companies[companies.length - 1]?.companyId : undefined;
      return { total, offset: after === undefined ? offset : null, limit, next: next ?? null, companies };
    },
  );
}
