import { readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';

export interface HttpCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** PEM CA file the server's certificate must chain to; the system's CAs when absent. */
  caFile?: string;
  /** HTTP basic credentials. */
  basicAuth?: { username: string; password: string };
}

export interface HttpAnswer {
  status: number;
  text: string;
}

const agents = new Map<string, Agent>();

/**
 * One HTTPS agent per CA file, so connections are reused and the file is read once. Node 20's fetch takes
 * no per-call CA, which is why the registry and identity-provider calls go through node:https instead.
 */
export function httpsAgentFor(caFile: string | undefined): Agent | undefined {
  if (!caFile) return undefined;
  let agent = agents.get(caFile);
  if (!agent) {
    agent = new Agent({ ca: readFileSync(caFile), keepAlive: true });
    agents.set(caFile, agent);
  }
  return agent;
}

/** A single HTTP(S) request that resolves with the status and body text; network errors reject. */
export function httpCall(url: string, call: HttpCall = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const headers: Record<string, string> = { ...call.headers };
  if (call.basicAuth) {
    const { username, password } = call.basicAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
  const options: RequestOptions = {
    method: call.method ?? 'GET',
    headers,
    timeout: call.timeoutMs ?? 10_000,
    ...(secure && call.caFile ? { agent: httpsAgentFor(call.caFile) } : {}),
  };
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const req = send(target, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${target.host} within ${options.timeout} ms`)),
    );
    req.on('error', reject);
    req.end(call.body);
  });
}
