import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A lean HTTP/1.1 client for load generation: node:http over kept-alive sockets costs the bench process
 * far less CPU per call than fetch, so on a 2-core machine the generator takes less from the service
 * it measures.
 */
export class BenchClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolvePromise, reject) => {
      const call = request(
        `${this.baseUrl}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolvePromise({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Makes `count` calls with `concurrency` of them in flight, each caller starting its next call once the
 * previous one has finished (a closed loop); returns the calls per second.
 */
export async function inFlight(
  count: number,
  concurrency: number,
  call: () => Promise<void>,
): Promise<number> {
  let started = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started += 1;
        await call();
      }
    }),
  );
  return count / ((performance.now() - began) / 1000);
}
