import { Readable } from 'node:stream';
import { NotFoundError } from '@passport/errors';
import { evidenceLine, signEvidenceHead } from '@passport/trust';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database';
import { evidenceAfter, evidenceHead } from '../../store/evidence-log';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };
/** Entries read per query: bounds the memory of an export, whatever the log's length. */
const PAGE = 500;

/** The whole log, oldest first, one JSON line per entry, read page by page as the client takes it. */
async function* exportLines(db: Database): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const page = await evidenceAfter(db, after, PAGE);
    if (page.length === 0) return;
    yield `${page.map(evidenceLine).join('\n')}\n`;
    after = page[page.length - 1]?.seq ?? after;
  }
}

/**
 * The evidence log for an audit. Entries keep each record's value hash, never the value, so the export
 * holds no personal data (and no sealed ciphertext either); the signature still re-verifies from what an
 * entry keeps, because it covers the value's hash. To show what a partner's value said, the auditor
 * takes the record at the entry's topic, partition and offset (or a copy of it) and compares its hash.
 */
export function evidenceRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get(
    '/evidence/export',
    {
      schema: {
        tags: ['operations'],
        summary:
          'The evidence log (hash chain of every signed record sent and received), as JSON lines, oldest first; check it with `passport evidence verify`',
        ...auth,
      },
    },
    async (_request, reply) =>
      reply
        .type('application/x-ndjson')
        .header('content-disposition', `attachment; filename="evidence-${context.agency.id}.jsonl"`)
        .send(Readable.from(exportLines(context.db))),
  );

  app.get(
    '/evidence/head',
    {
      schema: {
        tags: ['operations'],
        summary:
          "The log's last entry number and hash, signed by the agency's key (DSSE): keep it beside an export, `passport evidence verify --head` checks the export against it",
        ...auth,
      },
    },
    async (_request, reply) => {
      if (!context.evidenceSigner) throw new NotFoundError('the evidence head (no signing key configured)');
      const head = await evidenceHead(context.db);
      const statement = signEvidenceHead(
        { ...head, issuedAt: new Date().toISOString() },
        context.evidenceSigner,
      );
      return reply.type('application/json').send(statement);
    },
  );
}
