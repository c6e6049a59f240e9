import { outboxHealth, unpublished } from '../store/outbox';
import { hasOverdue, publicationHealth, requeueUnconfirmed } from '../store/outbox-confirmation';
import { publishRound, type RoundDeps } from './outbox-round';
import type { ReadPastProbe, TopicEnds } from './read-past-probe';
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
  /**
   * When given, an overdue row is resent only once the consumer has read past what was on the topics
   * after it was sent (see read-past-probe); without it, the timeout alone decides.
   */
  readPast?: ReadPastProbe;
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
  /** The topics' ends when overdue rows were last found, and when: what the consumer must read past. */
  private probe: { takenAt: number; ends: TopicEnds } | undefined;
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
    const sentBefore = await this.lossCutoff(now);
    if (sentBefore === undefined) return 0;
    const requeued = await requeueUnconfirmed(this.deps.db, sentBefore);
    if (requeued > 0) {
      this.deps.metrics.outboxResends.inc(requeued);
      this.deps.logger.warn(
        { rows: requeued, confirmTimeoutMs: this.deps.confirmTimeoutMs },
        'published events not seen on their topic in time; sending them again',
      );
    }
    return requeued;
  }

  /**
   * Rows sent before the returned time and still unconfirmed count as lost; undefined while none can be
   * told lost yet. With a probe: when overdue rows turn up, the topics' ends are noted; only once the
   * consumer has read past them do the overdue rows sent before the note go out again, and a new note
   * is taken for the next ones.
   */
  private async lossCutoff(now: number): Promise<number | undefined> {
    const overdueBefore = now - this.deps.confirmTimeoutMs;
    const { readPast } = this.deps;
    if (readPast === undefined) return overdueBefore;
    if (!(await hasOverdue(this.deps.db, overdueBefore))) {
      this.probe = undefined;
      return undefined;
    }
    const probe = this.probe;
    try {
      if (probe === undefined || (await readPast.readPast(probe.ends))) {
        this.probe = { takenAt: now, ends: await readPast.snapshot() };
        return probe === undefined ? undefined : Math.min(overdueBefore, probe.takenAt);
      }
    } catch (error) {
      // No answer from the cluster: resend nothing now, publishing goes on; the next pass asks again.
      this.deps.logger.warn({ err: error }, 'could not tell whether overdue events were lost');
    }
    return undefined;
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
