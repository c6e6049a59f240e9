import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers one request; `undefined` leaves it unanswered, as a lost request would be. */
export type RegistryAnswer = ((res: ServerResponse) => void) | undefined;

/** An answer in the registry's JSON media type. */
export const registryJson =
  (status: number, body: unknown): RegistryAnswer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    res.end(JSON.stringify(body));
  };

/**
 * A schema registry on loopback that answers its n-th request (from 1) with `answerFor(n)`, recording
 * each as "METHOD url". `close` also drops connections still waiting for an answer.
 */
export async function fakeRegistry(answerFor: (call: number) => RegistryAnswer) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    answerFor(requests.length)?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
