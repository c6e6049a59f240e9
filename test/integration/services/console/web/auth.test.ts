import { consoleConfig } from '@passport/console/config';
import { ConsoleContext } from '@passport/console/context';
import { startWebConsole, type WebConsoleOptions } from '@passport/console/web/server';
import { privateExchange, type PrivateExchange } from '../../../../support/story';

jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';
const LIMITS = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 };

/** A sign-in posted as the login form does; redirects are returned, not followed. */
const signIn = (url: string, password: string) =>
  fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password }).toString(),
    redirect: 'manual',
  });
const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';
const get = (url: string, cookie: string) => fetch(url, { headers: { cookie }, redirect: 'manual' });

describe('web console sign-in limits, over HTTP', () => {
  let exchange: PrivateExchange;
  let context: ConsoleContext;
  let now = Date.now();
  const consoles: Array<{ close(): Promise<void> }> = [];
  /** A console of its own per test, on a clock the test moves instead of waiting. */
  const start = async (options: Partial<WebConsoleOptions> = {}) => {
    const web = await startWebConsole(context, {
      host: '127.0.0.1',
      port: 0,
      password: PASSWORD,
      sessions: LIMITS,
      now: () => now,
      ...options,
    });
    consoles.push(web);
    return web;
  };

  beforeAll(async () => {
    exchange = await privateExchange(1);
    const quiet = { out: () => undefined, err: () => undefined, ask: async () => '', isTTY: false };
    const env = { ...process.env, PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix };
    context = new ConsoleContext(consoleConfig(env), quiet, false);
  });
  afterAll(async () => {
    await Promise.all(consoles.map((web) => web.close()));
    await context?.close();
    await exchange?.close();
  });

  it('signs out: the session is deleted and the browser told to drop the cookie', async () => {
    const web = await start();
    const signedIn = await signIn(web.url, PASSWORD);
    expect(signedIn.headers.get('set-cookie')).toMatch(
      /^passport_console=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/,
    );
    const cookie = cookieOf(signedIn);
    expect((await get(`${web.url}/dlq`, cookie)).status).toBe(200);
    const out = await fetch(`${web.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^passport_console=; .*Max-Age=0/);
    const replayed = await get(`${web.url}/dlq`, cookie);
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe('/login');
  });

  it('ends a session left idle, and a busy one at the absolute limit', async () => {
    const web = await start({ sessions: { idleMs: 60_000, absoluteMs: 140_000 } });
    const idle = cookieOf(await signIn(web.url, PASSWORD));
    now += 61_000;
    expect((await get(`${web.url}/dlq`, idle)).status).toBe(303);

    const busy = cookieOf(await signIn(web.url, PASSWORD));
    const seen: number[] = [];
    for (let step = 0; step < 3; step += 1) {
      now += 50_000; // used again within the idle limit each time…
      seen.push((await get(`${web.url}/dlq`, busy)).status);
    }
    expect(seen).toEqual([200, 200, 303]); // …and over all the same once 140 s have passed
  });

  it('throttles failed sign-ins with doubling waits: 429, Retry-After and the code, right password or not', async () => {
    const web = await start();
    for (let attempt = 1; attempt <= 6; attempt += 1)
      expect((await signIn(web.url, `guess ${attempt}`)).status).toBe(401);
    const refused = await signIn(web.url, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toContain('[PASSPORT_LOGIN_THROTTLED]');
    now += 1_000;
    expect((await signIn(web.url, 'guess 7')).status).toBe(401);
    expect((await signIn(web.url, PASSWORD)).headers.get('retry-after')).toBe('2');
    now += 2_000;
    expect((await signIn(web.url, PASSWORD)).status).toBe(303);
  });

  it('counts a burst of parallel guesses one by one', async () => {
    const web = await start();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(web.url, `parallel guess ${i}`)),
    );
    const statuses = burst.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(24);
  });

  it('marks the session cookie Secure when it listens off loopback', async () => {
    const web = await start({ host: '0.0.0.0' });
    const port = new URL(web.url).port;
    const cookie = (await signIn(`http://127.0.0.1:${port}`, PASSWORD)).headers.get('set-cookie');
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800; Secure$/);
  });
});
