import type { Logger } from 'pino';

const MAX_BACKOFF_MS = 10_000;

export interface RelayLoopOptions {
  pollMs: number;
  /** Rows per round: a full round means more may be waiting, so the next starts at once. */
  batch: number;
  logger: Logger;
  /** Logged when a round fails, e.g. 'outbox publish failed; events stay queued'. */
  failureMessage: string;
  /** One round; returns how many rows it settled. */
  round: () => Promise<number>;
  /** Gauges after each round; must not throw. */
  reportHealth: () => Promise<void>;
}

/**
 * The polling loop of a relay: a round now and then, at once when nudged, with a doubling backoff
 * after a failure. A nudge that arrives while a round runs is kept, so rows committed meanwhile do not
 * wait for the next poll.
 */
export class RelayLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;

  constructor(private readonly options: RelayLoopOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { pollMs, batch, logger } = this.options;
    let backoff = pollMs;
    while (this.running) {
      this.nudged = false;
      let failed = false;
      try {
        const settled = await this.options.round();
        backoff = pollMs;
        await this.options.reportHealth();
        if (settled === batch) continue;
      } catch (error) {
        failed = true;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        logger.warn({ err: error, retryInMs: backoff }, this.options.failureMessage);
        await this.options.reportHealth();
      }
      // Rows committed while this round was publishing go out now; after a failure the backoff holds.
      if (!failed && this.nudged) continue;
      await new Promise<void>((resolvePromise) => {
        const timer = setTimeout(resolvePromise, backoff);
        this.wake = () => {
          // After a failure only stop() ends the wait: every command's nudge would otherwise retry a
          // dead broker as often as requests arrive, and the backoff would never grow.
          if (failed && this.running) return;
          clearTimeout(timer);
          resolvePromise();
        };
      });
    }
  }
}
