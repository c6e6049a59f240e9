import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPassportError } from '@passport/errors';
import type { ConsoleContext } from '../context';
import { AdminSessions } from './auth';
import { escapeHtml, page } from './html';
import { deadLettersPage, kpisPage, tailPage, topicsPage, tracePage } from './pages';

const LOGIN_FORM = page(
  'Sign in',
  '<form method="post" action="/login"><label>Admin password <input type="password" name="password" autofocus></label> <button>Sign in</button></form>',
  { nav: false },
);

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 10_000) break;
  }
  return new URLSearchParams(text);
}

function send(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(html);
}

/** Read-only: every route is a GET except the login form; nothing here writes to Kafka. */
async function route(
  context: ConsoleContext,
  sessions: AdminSessions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console');
  if (url.pathname === '/login') {
    if (request.method !== 'POST') return send(response, 200, LOGIN_FORM);
    const token = sessions.login((await formBody(request)).get('password') ?? '');
    if (!token)
      return send(response, 401, LOGIN_FORM.replace('<form', '<p role="alert">Wrong password.</p><form'));
    return send(response, 303, '', { location: '/', 'set-cookie': sessions.cookieFor(token) });
  }
  if (!sessions.isLoggedIn(request.headers.cookie)) return send(response, 303, '', { location: '/login' });
  if (request.method !== 'GET')
    return send(response, 405, page('Not allowed', '<p>The console is read-only.</p>'));
  const pages: Record<string, () => Promise<string>> = {
    '/': () => topicsPage(context),
    '/tail': () => tailPage(context, url.searchParams.get('topic')),
    '/trace': () => tracePage(context, url.searchParams.get('request')),
    '/dlq': () => deadLettersPage(context, url.searchParams.get('from')),
    '/kpis': () => kpisPage(context),
  };
  const render = pages[url.pathname];
  if (!render) return send(response, 404, page('Not found', ''));
  send(response, 200, await render());
}

export interface WebConsole {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startWebConsole(
  context: ConsoleContext,
  options: { host: string; port: number; password: string },
): Promise<WebConsole> {
  const sessions = new AdminSessions(options.password);
  const server = createServer((request, response) => {
    route(context, sessions, request, response).catch((error: unknown) => {
      const code = isPassportError(error) ? error.code : 'UNEXPECTED';
      send(
        response,
        isPassportError(error) && error.code === 'PASSPORT_USAGE' ? 400 : 500,
        page('Error', `<p>${escapeHtml((error as Error).message)} [${code}]</p>`),
      );
    });
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(options.port, options.host, resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
