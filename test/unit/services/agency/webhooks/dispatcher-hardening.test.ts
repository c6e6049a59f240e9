import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { migrate } from '@passport/agency-service/db/migrations';
import { openSqlite } from '@passport/agency-service/db/sqlite';
import { appendFeed } from '@passport/agency-service/store/feed';
import { deliveryLog } from '@passport/agency-service/store/webhook-deliveries';
import { WebhookDispatcher } from '@passport/agency-service/webhooks/dispatcher';
import { verify } from '@passport/agency-service/webhooks/signature';

const SECRET = 'a-long-shared-secret-of-the-back-office';

const openedByTest: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of openedByTest.splice(0).reverse()) await close();
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server on 127.0.0.1 recording every call; `answer` writes the response once the body is in. */
async function loopbackServer(answer: (response: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      answer(response);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  openedByTest.push(async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

async function dispatcherTo(url: string, requestTimeoutMs?: number) {
  const db = openSqlite(':memory:');
  openedByTest.push(() => db.close());
  await migrate(db);
  const now = Date.UTC(2030, 0, 7, 9);
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
  const dispatcher = new WebhookDispatcher({
    db,
    url,
    secret: SECRET,
    logger,
    pollMs: 60_000,
    clock: () => now,
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  });
  await db.transaction((tx) =>
    appendFeed(tx, 'introduction.accepted', 'request-1', { candidateRef: 'accio-1' }, now, true),
  );
  return { db, dispatcher, warnings, now };
}

describe('WebhookDispatcher against a hostile or broken target', () => {
  it('signs the delivery id and kind with the body, as a back office verifies them', async () => {
    const target = await loopbackServer((response) => response.writeHead(204).end());
    const { dispatcher, now } = await dispatcherTo(target.url);
    await dispatcher.deliverDue();
    const [call] = target.received;
    expect(call?.headers['x-passport-delivery']).toBe('1');
    expect(call?.headers['x-passport-kind']).toBe('introduction.accepted');
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({ id: 1, kind: 'introduction.accepted' });
    const signed = { delivery: '1', kind: 'introduction.accepted', body: call?.body ?? '' };
    const header = call?.headers['x-passport-signature'] as string;
    expect(verify(SECRET, signed, header, Math.floor(now / 1000))).toBe(true);
    expect(verify(SECRET, { ...signed, delivery: '2' }, header, Math.floor(now / 1000))).toBe(false);
  });

  it('does not follow a redirect: the signed call goes nowhere else, and the delivery stays pending', async () => {
    const elsewhere = await loopbackServer((response) => response.writeHead(204).end());
    const redirecting = await loopbackServer((response) =>
      response.writeHead(307, { location: elsewhere.url }).end(),
    );
    const { db, dispatcher, warnings } = await dispatcherTo(redirecting.url);
    expect(await dispatcher.deliverDue()).toBe(1);

    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
    const [delivery] = await deliveryLog(db, 10);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 307 });
    expect(delivery?.lastError).toMatch(/redirect/);
    expect(warnings).toContainEqual(expect.objectContaining({ statusCode: 307, delivery: 1 }));
  });

  it('does not read an endless response body: the attempt ends with the status alone', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let bytesWritten = 0;
    const flooding = await loopbackServer((response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        // Stops when the client has gone; otherwise it would write without end.
        while (!response.destroyed && response.write(chunk)) bytesWritten += chunk.length;
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const { db, dispatcher } = await dispatcherTo(flooding.url, 2_000);
    const started = Date.now();
    await dispatcher.deliverDue();

    expect(Date.now() - started).toBeLessThan(1_500);
    const [delivery] = await deliveryLog(db, 10);
    expect(delivery).toMatchObject({ status: 'delivered', lastStatusCode: 200, lastError: null });
    expect(bytesWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up on a target that never answers, at the request timeout', async () => {
    const silent = await loopbackServer(() => undefined);
    const { db, dispatcher } = await dispatcherTo(silent.url, 300);
    const started = Date.now();
    await dispatcher.deliverDue();
    expect(Date.now() - started).toBeLessThan(2_000);
    const [delivery] = await deliveryLog(db, 10);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(delivery?.lastError).toMatch(/abort|timeout/i);
  });
});
