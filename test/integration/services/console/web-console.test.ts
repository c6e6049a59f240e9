import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { consoleConfig } from '@passport/console/config';
import { ConsoleContext } from '@passport/console/context';
import { startWebConsole, type WebConsole } from '@passport/console/web/server';
import { freshStory, privateExchange, type PrivateExchange } from '../../../support/story';

jest.setTimeout(120_000);

/** Screenshots of each page land here for people to look at; CI keeps .passport/ as an artifact. */
const SHOTS = join(__dirname, '../../../../.passport/screenshots');
const PASSWORD = 'correct horse battery staple';
const LIMITS = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 };

describe('web console in headless Chromium', () => {
  let exchange: PrivateExchange;
  let context: ConsoleContext;
  let web: WebConsole;
  let browser: Browser;
  let tab: Page;
  const story = freshStory(0);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    exchange = await privateExchange();
    await exchange.publish([...story, ...freshStory(40)]);
    const quiet = { out: () => undefined, err: () => undefined, ask: async () => '', isTTY: false };
    context = new ConsoleContext(
      consoleConfig({ ...process.env, PASSPORT_TOPIC_SUFFIX: exchange.topics.suffix }),
      quiet,
      false,
    );
    web = await startWebConsole(context, {
      host: '127.0.0.1',
      port: 0,
      password: PASSWORD,
      sessions: LIMITS,
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await context?.close();
    await exchange?.close();
  });

  it('asks for the admin password and refuses a wrong one', async () => {
    await tab.goto(`${web.url}/kpis`);
    expect(new URL(tab.url()).pathname).toBe('/login');
    await tab.fill('input[name=password]', 'not the password');
    await tab.click('button');
    expect(await tab.textContent('[role=alert]')).toBe('Wrong password.');
    await tab.fill('input[name=password]', PASSWORD);
    await tab.click('button');
    expect(new URL(tab.url()).pathname).toBe('/');
  });

  it('shows topics and lag, live tail, a request trace, dead letters and KPI charts', async () => {
    await tab.goto(`${web.url}/`);
    expect(await tab.textContent('body')).toContain(
      exchange.topics.actual('passport.cooperation-requests.v1'),
    );
    await tab.screenshot({ path: join(SHOTS, 'topics.png'), fullPage: true });

    await tab.goto(`${web.url}/tail?topic=requests`);
    expect(await tab.locator('td', { hasText: 'CooperationRequested' }).count()).toBe(2);
    await tab.screenshot({ path: join(SHOTS, 'tail.png'), fullPage: true });

    await tab.goto(`${web.url}/trace`);
    await tab.fill('input[name=request]', story[0]?.requestId as string);
    await tab.click('button');
    expect(await tab.textContent('h2')).toBe(`${story.length} events of ${story[0]?.requestId}`);
    await tab.screenshot({ path: join(SHOTS, 'trace.png'), fullPage: true });

    await tab.goto(`${web.url}/dlq`);
    expect(await tab.textContent('body')).toContain('none');

    await tab.goto(`${web.url}/kpis`);
    const funnel = tab.locator('svg#funnel rect');
    expect(await funnel.count()).toBe(6);
    expect(await tab.locator('svg#regions-sent').textContent()).toContain('bwi');
    expect(await tab.locator('svg#months text').allTextContents()).toContain('2026-04');
    await tab.screenshot({ path: join(SHOTS, 'kpis.png'), fullPage: true });
  });

  it('is read-only: anything but GET is refused', async () => {
    const response = await tab.request.post(`${web.url}/kpis`);
    expect(response.status()).toBe(405);
  });
});
