import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { BenchClient, inFlight } from './http-client';

/** A server that reads the body, parses it as JSON and answers 201: no validation, no storage, no Kafka. */
const EMPTY_SERVER = `
const { createServer } = require('node:http');
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end('{"requestId":"00000000-0000-0000-0000-000000000000"}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/**
 * What this machine's HTTP stack gives the same client at the same concurrency when the server does
 * nothing: the ceiling of any accept path here, printed beside the figure so its ratio can be judged.
 */
export async function emptyServerCeiling(
  body: string,
  requests: number,
  concurrency: number,
): Promise<number> {
  const child = spawn(process.execPath, ['-e', EMPTY_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [firstLine] = (await once(child.stdout, 'data')) as [Buffer];
    const client = new BenchClient(`http://127.0.0.1:${firstLine.toString().trim()}`, {
      'content-type': 'application/json',
    });
    const post = () => client.post('/requests', body);
    for (let i = 0; i < 200; i += 1) await post(); // warm-up
    const perSecond = await inFlight(requests, concurrency, async () => void (await post()));
    client.close();
    return perSecond;
  } finally {
    child.kill();
  }
}
