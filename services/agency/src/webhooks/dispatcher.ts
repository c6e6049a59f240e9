import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { feedEntry, type FeedEntry } from '../store/feed';
import { dueDeliveries, recordAttempt, type Delivery } from '../store/webhook-deliveries';
import { DELIVERY_HEADER, KIND_HEADER, SIGNATURE_HEADER, sign } from './signature';

/** Deliveries attempted per round; a full round is followed at once by the next, so a backlog drains. */
export const BATCH_SIZE = 20;
const BASE_DELAY_MS = 500;
/** A back office down for days is still tried hourly, and hears everything within the hour it is back. */
export const MAX_RETRY_INTERVAL_MS = 60 * 60_000;
const REQUEST_TIMEOUT_MS = 5_000;

/** Exponential backoff with full jitter between half and the whole delay, so retries do not stampede. */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_INTERVAL_MS, BASE_DELAY_MS * 2 ** attempts);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
}

export interface WebhookDispatcherDeps {
  db: Database;
  url: string;
  secret: string;
  logger: Logger;
  pollMs: number;
  /** Headers and body included; 5 s unless a test needs less. */
  requestTimeoutMs?: number;
  /** Epoch milliseconds; tests move it instead of sleeping through backoff. */
  clock?: () => number;
}

/**
 * Delivers feed entries to the back office's webhook, signed, each until it is acknowledged with a 2xx:
 * nothing accepted is ever dropped, however long the back office is away. Every attempt is logged in the
 * delivery log. At-least-once: receivers deduplicate by `X-Passport-Delivery`, which the signature covers.
 */
export class WebhookDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly clock: () => number;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One round over the deliveries due now, longest waiting first; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const due = await dueDeliveries(this.deps.db, this.clock(), BATCH_SIZE);
    for (const delivery of due) await this.attempt(delivery);
    return due.length;
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const entry = await feedEntry(this.deps.db, delivery.cursor);
    // Backing off even without an entry keeps such a row from heading every round and crowding others out.
    const { statusCode, error } = entry
      ? await this.post(entry)
      : { statusCode: null, error: `feed entry ${delivery.cursor} not found` };
    const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const attemptedAt = this.clock();
    const nextAttemptAt = attemptedAt + retryDelay(delivery.attempts);
    await recordAttempt(
      this.deps.db,
      delivery.cursor,
      { delivered, statusCode, error, nextAttemptAt },
      attemptedAt,
    );
    if (!delivered)
      this.deps.logger.warn(
        {
          delivery: delivery.cursor,
          attempts: delivery.attempts + 1,
          statusCode,
          error,
          nextAttemptAt: new Date(nextAttemptAt),
        },
        'webhook delivery failed; it will be retried',
      );
  }

  private async post(entry: FeedEntry): Promise<AttemptOutcome> {
    const body = JSON.stringify({
      id: entry.cursor,
      kind: entry.kind,
      requestId: entry.requestId,
      createdAt: entry.createdAt,
      data: entry.body,
    });
    const signed = { delivery: String(entry.cursor), kind: entry.kind, body };
    try {
      const response = await fetch(this.deps.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_HEADER]: signed.delivery,
          [KIND_HEADER]: signed.kind,
          [SIGNATURE_HEADER]: sign(this.deps.secret, signed, Math.floor(this.clock() / 1000)),
        },
        body,
        // Following a redirect would send the signed notification wherever the target points to.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
      });
      // Only the status counts; a body, however large or slow, is never read.
      await response.body?.cancel().catch(() => undefined);
      const redirected = response.status >= 300 && response.status < 400;
      return {
        statusCode: response.status,
        error: redirected ? `redirect (${response.status}) not followed` : null,
      };
    } catch (caught) {
      return { statusCode: null, error: describeFailure(caught) };
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let attempted = 0;
      try {
        attempted = await this.deliverDue();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'webhook round failed');
      }
      if (attempted < BATCH_SIZE)
        await new Promise((resolvePromise) => setTimeout(resolvePromise, this.deps.pollMs));
    }
  }
}

/** fetch reports every network failure as "fetch failed"; the cause says which, for the delivery log. */
function describeFailure(caught: unknown): string {
  const error = caught as Error;
  const cause = error.cause as { message?: string } | undefined;
  return cause?.message ? `${error.message}: ${cause.message}` : error.message;
}
