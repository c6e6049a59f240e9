import { existsSync } from 'node:fs';
import { request } from 'node:http';

/**
 * True when a Docker engine answers `GET /_ping` within a second. A docker client binary alone (as on
 * machines without an engine) is not enough, so the socket itself is asked.
 */
export function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const host = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let options: { socketPath?: string; host?: string; port?: number };
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!existsSync(socketPath)) return Promise.resolve(false);
    options = { socketPath };
  } else {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    options = { host: url.hostname, port: Number(url.port || 2375) };
  }
  return new Promise((resolvePromise) => {
    const req = request({ ...options, path: '/_ping', method: 'GET', timeout: 1_000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
    req.end();
  });
}
