import { NotFoundError } from '@passport/errors';
import type { FastifyInstance } from 'fastify';
import { eraseRequest } from '../../handlers/commands/erasure';
import { closeRequest, createRequest, requestIntroduction } from '../../handlers/commands/own-requests';
import { reportOutcome } from '../../handlers/commands/outcomes';
import { introductionsOf } from '../../store/introductions';
import { outcomesOf } from '../../store/outcomes';
import {
  findOwnRequest,
  listOwnRequests,
  partnerReplies,
  receivedCandidates,
} from '../../store/own-requests';
import {
  closeRequestBody,
  erasureBody,
  createRequestBody,
  outcomeBody,
  requestIntroductionBody,
} from '../bodies';
import { commandRoute } from '../command-route';
import type { HttpContext } from '../context';

const auth = { security: [{ apiKey: [] }] };

/** Requests this agency sends for its own firms. */
export function ownRequestRoutes(app: FastifyInstance, context: HttpContext): void {
  commandRoute(app, context, {
    url: '/requests',
    tag: 'own requests',
    summary:
      "Send a firm's cooperation request to partner agencies (only the anonymous profile is published)",
    body: createRequestBody,
    handle: (body, _params, deps) => createRequest({ firm: body.firm, profile: body.profile }, deps),
  });
  commandRoute(app, context, {
    url: '/requests/:requestId/close',
    tag: 'own requests',
    summary: 'Close a request as fulfilled, or withdraw it',
    body: closeRequestBody,
    handle: (body, params, deps) =>
      closeRequest(params.requestId as string, { reason: body.reason, note: body.note ?? null }, deps),
  });
  commandRoute(app, context, {
    url: '/requests/:requestId/introductions',
    tag: 'own requests',
    summary: "Ask for an introduction to a candidate, with the firm's recorded consent",
    body: requestIntroductionBody,
    handle: (body, params, deps) => requestIntroduction(params.requestId as string, body, deps),
  });
  commandRoute(app, context, {
    url: '/requests/:requestId/erasure',
    tag: 'own requests',
    summary:
      "Erase a closed request's firm and its introductions' personal data on request, here and at each partner (signed PersonalDataErased); keeps an erasure record",
    body: erasureBody,
    handle: (_body, params, deps) => eraseRequest(params.requestId as string, deps),
  });
  commandRoute(app, context, {
    url: '/requests/:requestId/outcomes',
    tag: 'own requests',
    summary: 'Record what came of the request (meeting held, agreement signed, …)',
    body: outcomeBody,
    handle: (body, params, deps) => reportOutcome(params.requestId as string, body, deps),
  });

  app.get(
    '/requests',
    { schema: { tags: ['own requests'], summary: "List own requests with each partner's status", ...auth } },
    async () => {
      const requests = await listOwnRequests(context.db);
      return Promise.all(
        requests.map(async (r) => ({
          requestId: r.requestId,
          title: r.profile.title,
          status: r.status,
          closeReason: r.closeReason,
          deadline: r.deadline,
          createdAt: r.createdAt,
          partners: (await partnerReplies(context.db, r.requestId)).map((p) => ({
            agencyId: p.agencyId,
            status: p.status,
          })),
        })),
      );
    },
  );

  app.get(
    '/requests/:requestId',
    {
      schema: {
        tags: ['own requests'],
        summary: 'One own request: partners, candidates, introductions, outcomes',
        ...auth,
      },
    },
    async (request) => {
      const { requestId } = request.params as { requestId: string };
      const own = await findOwnRequest(context.db, requestId);
      if (!own) throw new NotFoundError(`request ${requestId}`);
      return {
        ...own,
        partners: await partnerReplies(context.db, requestId),
        candidates: await receivedCandidates(context.db, requestId),
        introductions: await introductionsOf(context.db, requestId, 'home'),
        outcomes: await outcomesOf(context.db, requestId),
      };
    },
  );
}
