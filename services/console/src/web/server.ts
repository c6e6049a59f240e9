import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPassportError, LoginThrottledError } from '@passport/errors';
import type { ConsoleContext } from '../context';
import { AdminSessions, isLoopback, type SessionLimits } from './auth';
import { escapeHtml, page } from './html';
import { LoginThrottle, PER_ACCOUNT, PER_ADDRESS } from './login-throttle';
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

const loginFormWith = (alert: string) =>
  LOGIN_FORM.replace('<form', `<p role="alert">${escapeHtml(alert)}</p><form`);

/** The one account of the console, as a throttle key beside the remote addresses. */
const ADMIN = 'admin';

interface Guards {
  sessions: AdminSessions;
  byAddress: LoginThrottle;
  byAccount: LoginThrottle;
}

/**
 * Sign-in, throttled per remote address and for the account before the password is even looked at.
 * The body is read first: from the throttle check to the recorded failure nothing awaits, so a burst
 * of parallel guesses is counted one by one instead of all passing the check together.
 */
async function login(guards: Guards, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const password = (await formBody(request)).get('password') ?? '';
  const address = request.socket.remoteAddress ?? 'unknown';
  const waitMs = Math.max(guards.byAddress.waitMs(address), guards.byAccount.waitMs(ADMIN));
  if (waitMs > 0) {
    const error = new LoginThrottledError(Math.ceil(waitMs / 1000));
    return send(response, 429, loginFormWith(`${error.message} [${error.code}]`), {
      'retry-after': String(error.retryAfterSeconds),
    });
  }
  const token = guards.sessions.login(password);
  if (!token) {
    guards.byAddress.failed(address);
    guards.byAccount.failed(ADMIN);
    return send(response, 401, loginFormWith('Wrong password.'));
  }
  guards.byAddress.succeeded(address);
  guards.byAccount.succeeded(ADMIN);
  send(response, 303, '', { location: '/', 'set-cookie': guards.sessions.cookieFor(token) });
}

/**
 * Read-only: every route is a GET except signing in and out; nothing here writes to Kafka.
 */
async function route(
  context: ConsoleContext,
  guards: Guards,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { sessions } = guards;
  const url = new URL(request.url ?? '/', 'http://console');
  if (url.pathname === '/login') {
    if (request.method !== 'POST') return send(response, 200, LOGIN_FORM);
    return login(guards, request, response);
  }
  if (url.pathname === '/logout' && request.method === 'POST') {
    sessions.logout(request.headers.cookie);
    return send(response, 303, '', { location: '/login', 'set-cookie': sessions.clearedCookie() });
  }
  if (!sessions.isLoggedIn(request.headers.cookie))
    return send(response, 303, '', { location: '/login', 'set-cookie': sessions.clearedCookie() });
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

export interface WebConsoleOptions {
  host: string;
  port: number;
  password: string;
  sessions: SessionLimits;
  /** The clock of sessions and throttles; tests move it instead of waiting. */
  now?: () => number;
}

export async function startWebConsole(
  context: ConsoleContext,
  options: WebConsoleOptions,
): Promise<WebConsole> {
  const now = options.now ?? Date.now;
  const guards: Guards = {
    sessions: new AdminSessions(options.password, options.sessions, !isLoopback(options.host), now),
    byAddress: new LoginThrottle(PER_ADDRESS, now),
    byAccount: new LoginThrottle(PER_ACCOUNT, now),
  };
  const server = createServer((request, response) => {
    route(context, guards, request, response).catch((error: unknown) => {
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
