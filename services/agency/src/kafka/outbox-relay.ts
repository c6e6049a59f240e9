import { outboxHealth, unpublished } from '../store/outbox';
import { publicationHealth, requeueUnconfirmed } from '../store/outbox-confirmation';
import { publishRound, type RoundDeps } from './outbox-round';
import { RelayLoop } from './relay-loop';

const BATCH = 200;
/** How often overdue rows are looked for: a lost event waits its timeout plus at most this. */
const MAX_REQUEUE_INTERVAL_MS = 1_000;

export interface RelayDeps extends RoundDeps {
  pollMs: number;
  /** A row sent this long ago and not yet read back from its topic is sent again. */
  confirmTimeoutMs: number;
  /**
   * False while the consumer is not consuming: no echo can come back then, and resending would only
   * pile more copies on the topics for it to read when it returns.
   */
  echoesReadable?: () => boolean;
  now?: () => number;
}

/**
 * Publishes accepted events from the outbox. The API never waits for Kafka: while the broker is away
 * rows accumulate and go out, in order, when it is back. A crash between send and mark re-sends a
 * batch; consumers drop the duplicates by event id. A row that can never be published (the contract
 * or the broker refuses it) is quarantined instead of blocking every row behind it; only its own
 * request's later rows wait, until an operator puts it back (POST /outbox/quarantine/:id/retry).
 * A published row is not yet delivered: the consumer confirms it when it reads the event back, and a
 * row still unconfirmed after confirmTimeoutMs is put back and sent again (store/outbox-confirmation).
 */
export class OutboxRelay {
  private lastRequeueAt = Number.NEGATIVE_INFINITY;
  private readonly loop: RelayLoop;

  constructor(private readonly deps: RelayDeps) {
    this.loop = new RelayLoop({
      pollMs: deps.pollMs,
      batch: BATCH,
      logger: deps.logger,
      failureMessage: 'outbox publish failed; events stay queued',
      round: () => this.publishOnce(),
      reportHealth: () => this.reportHealth(),
    });
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  start(): void {
    this.loop.start();
  }

  /** Ask for a publish round now instead of at the next poll (called after a command commits). */
  nudge(): void {
    this.loop.nudge();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Puts rows sent too long ago without an echo back in line, at most once a second (or per timeout
   * when that is shorter); returns how many rows go out again.
   */
  async requeueOverdue(): Promise<number> {
    // Under 'ack' every published row is already confirmed: there is nothing to look for.
    if (this.deps.confirmation === 'ack') return 0;
    const now = this.now();
    if (now - this.lastRequeueAt < Math.min(MAX_REQUEUE_INTERVAL_MS, this.deps.confirmTimeoutMs)) return 0;
    if (this.deps.echoesReadable?.() === false) return 0;
    this.lastRequeueAt = now;
    const requeued = await requeueUnconfirmed(this.deps.db, now - this.deps.confirmTimeoutMs);
    if (requeued > 0) {
      this.deps.metrics.outboxResends.inc(requeued);
      this.deps.logger.warn(
        { rows: requeued, confirmTimeoutMs: this.deps.confirmTimeoutMs },
        'published events not seen on their topic in time; sending them again',
      );
    }
    return requeued;
  }

  /** One round over up to BATCH rows, oldest first; returns how many were published or set aside. */
  async publishOnce(): Promise<number> {
    await this.requeueOverdue();
    const rows = await unpublished(this.deps.db, BATCH);
    return rows.length === 0 ? 0 : publishRound(this.deps, rows);
  }

  /** Gauges for alerts; a database that fails here is already reported by the round and /readyz. */
  private async reportHealth(): Promise<void> {
    try {
      const [health, publication] = await Promise.all([
        outboxHealth(this.deps.db),
        publicationHealth(this.deps.db),
      ]);
      const now = this.now();
      this.deps.metrics.outboxUnconfirmed.set(publication.unconfirmed);
      this.deps.metrics.outboxUnconfirmedOldestSeconds.set(
        publication.oldestFirstPublishedAt === undefined
          ? 0
          : Math.max(0, now - publication.oldestFirstPublishedAt) / 1000,
      );
      this.deps.metrics.outboxBacklog.set(health.backlog);
      this.deps.metrics.outboxQuarantined.set(health.quarantined);
      this.deps.metrics.outboxOldestAgeSeconds.set(
        health.oldestCreatedAt === undefined ? 0 : Math.max(0, now - health.oldestCreatedAt) / 1000,
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'outbox metrics could not be read');
    }
  }
}
