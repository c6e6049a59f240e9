import { PassportError, UsageError } from '@passport/errors';
import type { Command, Values } from '../command';
import type { ConsoleContext } from '../context';

/** The agency service's answer is read up to this size; an erasure answer is a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** An erasure call that takes longer than this is reported as failed (the API call can be repeated). */
const CALL_TIMEOUT_MS = 30_000;
/** Request ids are UUIDs, candidate refs short opaque tokens: anything else is refused before any call. */
const ID_PATTERN = /^[\w-]{1,100}$/;

/** What to erase: a home agency's request (firm and every introduction) or one candidate at the partner. */
interface ErasureTarget {
  path: string;
  idempotencyKey: string;
  description: string;
}

function targetOf(kind: string | undefined, positionals: string[]): ErasureTarget {
  const [, requestId, candidateRef] = positionals;
  for (const [name, value] of [
    ['requestId', requestId],
    ['candidateRef', candidateRef],
  ] as const) {
    if (value !== undefined && !ID_PATTERN.test(value))
      throw new UsageError(`<${name}> must be 1–100 letters, digits, '-' or '_'`);
  }
  if (kind === 'request' && requestId && positionals.length === 2)
    return {
      path: `/requests/${requestId}/erasure`,
      idempotencyKey: `erase-request-${requestId}`,
      description: `the firm and every introduction of request ${requestId}, here and at each partner`,
    };
  if (kind === 'candidate' && requestId && candidateRef && positionals.length === 3)
    return {
      path: `/inbox/${requestId}/introductions/${candidateRef}/erasure`,
      idempotencyKey: `erase-candidate-${requestId}-${candidateRef}`,
      description: `candidate ${candidateRef} of request ${requestId}, here and at the home agency`,
    };
  throw new UsageError(
    'erase needs "request <requestId>" (at the home agency) or "candidate <requestId> <candidateRef>" (at the partner)',
  );
}

function serviceUrl(values: Values): URL {
  const raw = values.service;
  if (typeof raw !== 'string') throw new UsageError('--service <url> is required: the agency service to ask');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--service ${raw} is not a URL (e.g. http://127.0.0.1:18101)`);
  }
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  )
    throw new UsageError(
      '--service must use https, or http on loopback only (the API key travels with the call)',
    );
  return url;
}

function apiKey(): string {
  const key = process.env.PASSPORT_API_KEY;
  if (!key)
    throw new UsageError(
      "PASSPORT_API_KEY must hold the agency service's API key (an environment variable, never an argument, so it stays out of process lists)",
    );
  return key;
}

async function confirmed(context: ConsoleContext, values: Values, description: string): Promise<boolean> {
  if (values.yes) return true;
  if (!context.io.isTTY)
    throw new UsageError('erasure cannot be undone: confirm with --yes when not at a terminal');
  const answer = await context.io.ask(
    `Erase ${description}? This cannot be undone. Type "erase" to confirm: `,
  );
  return answer.trim() === 'erase';
}

async function readAnswer(response: Response): Promise<string> {
  const text = await response.text();
  return text.length > MAX_ANSWER_BYTES ? `${text.slice(0, MAX_ANSWER_BYTES)}…` : text;
}

/** The service's error as one line: its code and message when it sent JSON, the status otherwise. */
function refusal(status: number, body: string): PassportError {
  let detail = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string') detail += ` ${parsed.error.code}`;
    if (typeof parsed.error?.message === 'string') detail += `: ${parsed.error.message}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return new PassportError('PASSPORT_ERASURE_REFUSED', `the agency service refused the erasure (${detail})`, {
    details: { status },
  });
}

/**
 * `passport erase`: asks an agency service to erase personal data on request, through the same API call
 * a back office makes (the console holds no database and no key; the service does the erasure and tells
 * the other agency). Idempotent: the same target always sends the same Idempotency-Key.
 */
export const eraseCommand: Command = {
  name: 'erase',
  summary: "erase a firm's or a candidate's personal data on request (through the agency service's API)",
  usage:
    'passport erase request <requestId> --service <url> [--yes]\n' +
    '       passport erase candidate <requestId> <candidateRef> --service <url> [--yes]\n' +
    "PASSPORT_API_KEY holds the agency service's API key.",
  options: { service: { type: 'string' }, yes: { type: 'boolean' } },
  positionals: ['request|candidate', 'requestId'],
  offline: true,
  async run(context, values, positionals) {
    const target = targetOf(positionals[0], positionals);
    const url = new URL(target.path, serviceUrl(values));
    const key = apiKey();
    if (!(await confirmed(context, values, target.description))) {
      context.io.err('not erased: the confirmation was not "erase"');
      return;
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': target.idempotencyKey,
      },
      body: '{}',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const body = await readAnswer(response);
    if (!response.ok) throw refusal(response.status, body);
    context.io.out(context.json ? body : `erased ${target.description}\n${body}`);
  },
};
