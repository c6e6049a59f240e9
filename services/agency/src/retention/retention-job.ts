import type { Logger } from 'pino';
import type { Database } from '../db/database';
import type { Metrics } from '../metrics';
import type { RetentionPolicy } from './policy';
import { pruneExpired, type PruneCounts } from './prune';

export interface RetentionJobDeps {
  db: Database;
  policy: RetentionPolicy;
  logger: Logger;
  metrics: Pick<Metrics, 'retentionPruned'>;
  /** Epoch milliseconds; tests move it instead of waiting for rows to age. */
  clock?: () => number;
}

/**
 * Prunes on a timer (RETENTION_CHECK_MS), one pass at a time: a pass that outlasts the interval delays
 * the next instead of running beside it. The first pass runs at start, so a service restarted more
 * often than the interval still prunes.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();
  private readonly clock: () => number;

  constructor(private readonly deps: RetentionJobDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    const schedule = () => {
      this.pass = this.pass
        .then(() => this.runOnce())
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger.warn({ err: error }, 'retention pass failed; retried later'),
        );
    };
    schedule();
    this.timer = setInterval(schedule, this.deps.policy.checkMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  async runOnce(): Promise<PruneCounts> {
    const started = Date.now();
    const counts = await pruneExpired(this.deps.db, this.deps.policy, this.clock());
    let total = 0;
    for (const [table, pruned] of Object.entries(counts)) {
      if (pruned > 0) this.deps.metrics.retentionPruned.inc({ table }, pruned);
      total += pruned;
    }
    if (total > 0) this.deps.logger.info({ pruned: counts, ms: Date.now() - started }, 'retention pass');
    return counts;
  }
}
