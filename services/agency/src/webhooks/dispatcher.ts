import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { feedEntry } from '../store/feed';
import { dueDeliveries, recordAttempt } from '../store/webhook-deliveries';
import { SIGNATURE_HEADER, sign } from './signature';

const MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10 * 60_000;

/** Exponential backoff with full jitter between half and the whole delay, so retries do not stampede. */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempts);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Delivers feed entries to the back office's webhook, signed, each until it is acknowledged with a 2xx or
 * MAX_ATTEMPTS have failed. Every attempt is logged in the delivery log. At-least-once: receivers
 * deduplicate by `X-Passport-Delivery`.
 */
export class WebhookDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: { db: Database; url: string; secret: string; logger: Logger; pollMs: number },
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async deliverDue(now = Date.now()): Promise<number> {
    const due = await dueDeliveries(this.deps.db, now, 20);
    for (const delivery of due) {
      const entry = await feedEntry(this.deps.db, delivery.cursor);
      if (!entry) continue;
      const body = JSON.stringify({
        id: entry.cursor,
        kind: entry.kind,
        requestId: entry.requestId,
        createdAt: entry.createdAt,
        data: entry.body,
      });
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(this.deps.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-passport-delivery': String(entry.cursor),
            [SIGNATURE_HEADER]: sign(this.deps.secret, body, Math.floor(Date.now() / 1000)),
          },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        statusCode = response.status;
        await response.arrayBuffer();
      } catch (caught) {
        error = (caught as Error).message;
      }
      const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
      const giveUp = !delivered && delivery.attempts + 1 >= MAX_ATTEMPTS;
      await recordAttempt(
        this.deps.db,
        delivery.cursor,
        { delivered, statusCode, error, giveUp, nextAttemptAt: Date.now() + retryDelay(delivery.attempts) },
        Date.now(),
      );
      if (!delivered)
        this.deps.logger.warn(
          { delivery: entry.cursor, statusCode, error, giveUp },
          'webhook delivery failed',
        );
    }
    return due.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.deliverDue();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'webhook round failed');
      }
      await new Promise((resolvePromise) => setTimeout(resolvePromise, this.deps.pollMs));
    }
  }
}
