import { outboxHealth, unpublished } from '../store/outbox';
import { publishRound, type RoundDeps } from './outbox-round';

const BATCH = 200;
const MAX_BACKOFF_MS = 10_000;

/**
 * Publishes accepted events from the outbox. The API never waits for Kafka: while the broker is away
 * rows accumulate and go out, in order, when it is back. A crash between send and mark re-sends a
 * batch; consumers drop the duplicates by event id. A row that can never be published (the contract
 * or the broker refuses it) is quarantined instead of blocking every row behind it; only its own
 * request's later rows wait, until an operator puts it back (POST /outbox/quarantine/:id/retry).
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set by nudge(); a nudge that arrives while a round is publishing must not wait for the next poll. */
  private nudged = false;

  constructor(private readonly deps: RoundDeps & { pollMs: number }) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Ask for a publish round now instead of at the next poll (called after a command commits). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** One round over up to BATCH rows, oldest first; returns how many were published or set aside. */
  async publishOnce(): Promise<number> {
    const rows = await unpublished(this.deps.db, BATCH);
    return rows.length === 0 ? 0 : publishRound(this.deps, rows);
  }

  /** Gauges for alerts; a database that fails here is already reported by the round and /readyz. */
  private async reportHealth(): Promise<void> {
    try {
      const health = await outboxHealth(this.deps.db);
      this.deps.metrics.outboxBacklog.set(health.backlog);
      this.deps.metrics.outboxQuarantined.set(health.quarantined);
      this.deps.metrics.outboxOldestAgeSeconds.set(
        health.oldestCreatedAt === undefined ? 0 : Math.max(0, Date.now() - health.oldestCreatedAt) / 1000,
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'outbox metrics could not be read');
    }
  }

  private async run(): Promise<void> {
    let backoff = this.deps.pollMs;
    while (this.running) {
      this.nudged = false;
      let failed = false;
      try {
        const settled = await this.publishOnce();
        backoff = this.deps.pollMs;
        await this.reportHealth();
        if (settled === BATCH) continue;
      } catch (error) {
        failed = true;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        this.deps.logger.warn(
          { err: error, retryInMs: backoff },
          'outbox publish failed; events stay queued',
        );
        await this.reportHealth();
      }
      // Rows committed while this round was publishing go out now; after a failure the backoff holds.
      if (!failed && this.nudged) continue;
      await new Promise<void>((resolvePromise) => {
        const timer = setTimeout(resolvePromise, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolvePromise();
        };
      });
    }
  }
}
