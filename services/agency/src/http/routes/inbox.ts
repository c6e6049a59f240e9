import { NotFoundError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import {
  acceptIntroduction,
  approveSuggestions,
  declineIntroduction,
  proposeCandidates,
  reportNoCandidates,
} from '../../handlers/commands/inbox';
import { eraseIntroduction } from '../../handlers/commands/erasure';
import { reportOutcome } from '../../handlers/commands/outcomes';
import { findCompany } from '../../store/directory';
import { findInboxEntry, listInbox } from '../../store/inbox';
import { suggestionsFor } from '../../store/suggestions';
import { introductionsOf } from '../../store/introductions';
import { outcomesOf } from '../../store/outcomes';
import {
  approveSuggestionsBody,
  acceptIntroductionBody,
  declineIntroductionBody,
  erasureBody,
  noCandidatesBody,
  outcomeBody,
  proposeCandidatesBody,
} from '../bodies';
import { commandRoute } from '../command-route';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };

/** Partners' requests addressed to this agency, and the answers its staff give. */
export function inboxRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get(
    '/inbox',
    { schema: { tags: ['inbox'], summary: "Partners' requests, open ones first by deadline", ...auth } },
    async () =>
      (await listInbox(context.db)).map((entry) => ({
        requestId: entry.requestId,
        homeAgency: entry.homeAgency,
        kind: entry.profile.kind,
        title: entry.profile.title,
        status: entry.status,
        deadline: entry.deadline,
        receivedAt: entry.receivedAt,
      })),
  );

  app.get(
    '/inbox/:requestId',
    { schema: { tags: ['inbox'], summary: 'One partner request with its introduction requests', ...auth } },
    async (request) => {
      const { requestId } = request.params as { requestId: string };
      const entry = await findInboxEntry(context.db, requestId);
      if (!entry) throw new NotFoundError(`inbox request ${requestId}`);
      return {
        ...entry,
        introductions: await introductionsOf(context.db, requestId, 'partner'),
        outcomes: await outcomesOf(context.db, requestId),
      };
    },
  );

  commandRoute(app, context, {
    url: '/inbox/:requestId/candidates',
    tag: 'inbox',
    summary: 'Propose candidates from the regional ecosystem (company-level data only)',
    body: proposeCandidatesBody,
    handle: (body, params, deps) => proposeCandidates(params.requestId as string, body, deps),
  });
  commandRoute(app, context, {
    url: '/inbox/:requestId/no-candidates',
    tag: 'inbox',
    summary: 'Answer that no suitable candidate was found',
    body: noCandidatesBody,
    handle: (body, params, deps) => reportNoCandidates(params.requestId as string, body, deps),
  });
  commandRoute(app, context, {
    url: '/inbox/:requestId/introductions/:candidateRef/accept',
    tag: 'inbox',
    summary: "Accept an introduction with the candidate's consent; its contact goes to the home agency only",
    body: acceptIntroductionBody,
    handle: (body, params, deps) =>
      acceptIntroduction(params.requestId as string, params.candidateRef as string, body, deps),
  });
  commandRoute(app, context, {
    url: '/inbox/:requestId/introductions/:candidateRef/decline',
    tag: 'inbox',
    summary: 'Decline an introduction on behalf of the candidate',
    body: declineIntroductionBody,
    handle: (body, params, deps) =>
      declineIntroduction(params.requestId as string, params.candidateRef as string, body, deps),
  });
  commandRoute(app, context, {
    url: '/inbox/:requestId/introductions/:candidateRef/erasure',
    tag: 'inbox',
    summary:
      "Erase a candidate's introduction on request, here and at the home agency (signed PersonalDataErased); keeps an erasure record",
    body: erasureBody,
    handle: (_body, params, deps) =>
      eraseIntroduction(params.requestId as string, params.candidateRef as string, deps),
  });
  commandRoute(app, context, {
    url: '/inbox/:requestId/outcomes',
    tag: 'inbox',
    summary: 'Record what came of an introduction, seen from the partner side',
    body: outcomeBody,
    handle: (body, params, deps) => reportOutcome(params.requestId as string, body, deps),
  });

  app.get(
    '/inbox/:requestId/suggestions',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Ranked directory suggestions for a request (review mode)',
        ...auth,
      },
    },
    async (request) => {
      const { requestId } = request.params as { requestId: string };
      if (!(await findInboxEntry(context.db, requestId)))
        throw new NotFoundError(`inbox request ${requestId}`);
      const suggestions = await suggestionsFor(context.db, requestId);
      return Promise.all(
        suggestions.map(async (s) => ({ ...s, company: await findCompany(context.db, s.companyId) })),
      );
    },
  );

  commandRoute(app, context, {
    url: '/inbox/:requestId/suggestions/approve',
    tag: 'inbox',
    summary:
      'Approve suggested companies (optionally with edited score or rationale); they go out as candidates',
    body: approveSuggestionsBody,
    handle: (body, params, deps) => approveSuggestions(params.requestId as string, body, deps),
  });
}
