import { ConsumerStoppedError } from '@passport/errors';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';

/** The part of a kafkajs consumer the supervisor watches; the unit test's fake has the same shape. */
export type SupervisedConsumer = Pick<Consumer, 'on' | 'events' | 'disconnect'>;

export interface ConsumerSupervisorOptions<C extends SupervisedConsumer> {
  groupId: string;
  /** A new consumer object each time: one that kafkajs stopped for good is not run again. */
  create: () => C;
  /** Connects, subscribes and runs it. Resolving means kafkajs runs it, not that it joined its group. */
  start: (consumer: C) => Promise<void>;
  logger: Logger;
  metrics: Pick<Metrics, 'consumerRunning' | 'consumerRestarts'>;
  /** Failed restarts in a row after which the supervisor gives up. */
  maxRestarts: number;
  /** Delay before the first restart; it doubles with each failure in a row, up to MAX_BACKOFF_MS. */
  backoffMs: number;
  /** Called once when the supervisor gives up; the service then exits non-zero to be restarted whole. */
  onGiveUp: (error: ConsumerStoppedError) => void;
  /** A consumer that stayed in its group this long before it crashed had recovered: the count restarts. */
  stableMs?: number;
  now?: () => number;
}

const MAX_BACKOFF_MS = 30_000;
const DEFAULT_STABLE_MS = 60_000;

const describe = (error: unknown) =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/**
 * Keeps the service's consumer running and says so truthfully. kafkajs restarts a consumer by itself
 * only after errors it deems retriable; after any other (a non-retriable broker answer, an error it
 * cannot recover from) it stops the consumer for good and only emits CRASH, while `run` has long
 * resolved. The supervisor then starts a fresh consumer after a growing delay; when restarts keep
 * failing it gives up, so the process exits and its own supervisor restarts it whole, instead of a
 * service that answers but no longer consumes. Before the consumer first runs, failures only mean the
 * broker is not there yet: the service keeps trying, as its HTTP API works without the broker.
 */
export class ConsumerSupervisor<C extends SupervisedConsumer> {
  private health: { ok: boolean; detail?: string };
  private current: { consumer: C; detach: () => void } | undefined;
  private joinedAt: number | undefined;
  private crashedAfterStableRun = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Ends a backoff wait, or the wait for a fatal crash, when the service stops. */
  private interrupt: (() => void) | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ConsumerSupervisorOptions<C>) {
    this.now = options.now ?? Date.now;
    this.health = { ok: false, detail: `${this.name} has not joined its group yet` };
  }

  start(): void {
    this.loop = this.supervise();
  }

  /** For /readyz: ready only while the consumer is in its group; otherwise why, naming the group. */
  status(): { ok: boolean; detail?: string } {
    return this.health;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    // Leaving the group first ends a start still waiting for the broker; the batch in hand commits.
    await this.current?.consumer.disconnect().catch(() => undefined);
    await this.loop;
    await this.retire();
    this.report(false, `${this.name} is stopped`);
  }

  private async supervise(): Promise<void> {
    let ranOnce = false;
    let failuresInARow = 0;
    for (let attempt = 1; !this.stopping; attempt += 1) {
      const consumer = await this.replaceConsumer();
      const fatalCrash = this.watch(consumer);
      let failure: unknown;
      try {
        await this.options.start(consumer);
        ranOnce = true;
        failure = await fatalCrash;
      } catch (error) {
        failure = error;
      }
      if (this.stopping) return;
      if (!ranOnce) {
        this.options.logger.warn({ err: failure, attempt }, 'consumer could not start; retrying');
        this.report(false, `${this.name} has not joined its group yet; last attempt: ${describe(failure)}`);
        await this.pause(this.backoff(attempt));
        continue;
      }
      failuresInARow = this.crashedAfterStableRun ? 1 : failuresInARow + 1;
      if (failuresInARow > this.options.maxRestarts) return this.giveUp(failure, failuresInARow - 1);
      const delayMs = this.backoff(failuresInARow);
      const next = `restart ${failuresInARow} of at most ${this.options.maxRestarts} in ${delayMs} ms`;
      this.options.logger.error(
        { err: failure, group: this.options.groupId, restartInMs: delayMs },
        `consumer stopped; ${next} with a fresh consumer`,
      );
      this.report(false, this.stoppedDetail(this.now(), failure, next));
      await this.pause(delayMs);
      if (!this.stopping) this.options.metrics.consumerRestarts.inc({ by: 'service' });
    }
  }

  /** Resolves with the error when kafkajs stops the consumer for good; never for a crash it restarts. */
  private watch(consumer: C): Promise<unknown> {
    return new Promise((resolvePromise) => {
      this.interrupt = () => resolvePromise(undefined);
      const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
        this.joinedAt = this.now();
        this.report(true);
      });
      const removeCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
        const at = this.now();
        this.crashedAfterStableRun =
          this.joinedAt !== undefined && at - this.joinedAt >= (this.options.stableMs ?? DEFAULT_STABLE_MS);
        this.joinedAt = undefined;
        if (!payload.restart) return resolvePromise(payload.error);
        this.options.metrics.consumerRestarts.inc({ by: 'kafkajs' });
        this.options.logger.error(
          { err: payload.error, group: this.options.groupId },
          'consumer crashed; kafkajs restarts it',
        );
        this.report(false, this.stoppedDetail(at, payload.error, 'kafkajs restarts it'));
      });
      if (this.current) this.current.detach = () => [removeJoin, removeCrash].forEach((remove) => remove());
    });
  }

  private async replaceConsumer(): Promise<C> {
    await this.retire();
    const consumer = this.options.create();
    this.current = { consumer, detach: () => undefined };
    this.joinedAt = undefined;
    this.crashedAfterStableRun = false;
    return consumer;
  }

  /** kafkajs has already disconnected a consumer it stopped; disconnecting again is harmless. */
  private async retire(): Promise<void> {
    const retired = this.current;
    this.current = undefined;
    if (!retired) return;
    retired.detach();
    await retired.consumer.disconnect().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'the stopped consumer did not disconnect cleanly');
    });
  }

  private giveUp(failure: unknown, restarts: number): void {
    const error = new ConsumerStoppedError(this.options.groupId, restarts, { cause: failure });
    this.options.logger.fatal({ err: error }, 'consumer keeps failing; giving up so the process restarts');
    this.report(false, error.message);
    this.options.onGiveUp(error);
  }

  private backoff(failures: number): number {
    return Math.min(this.options.backoffMs * 2 ** Math.min(failures - 1, 20), MAX_BACKOFF_MS);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolvePromise) => {
      const timer = setTimeout(resolvePromise, ms);
      this.interrupt = () => {
        clearTimeout(timer);
        resolvePromise();
      };
    });
  }

  private get name(): string {
    return `consumer of group ${this.options.groupId}`;
  }

  private stoppedDetail(at: number, error: unknown, next: string): string {
    return `${this.name} stopped at ${new Date(at).toISOString()} (${describe(error)}); ${next}`;
  }

  private report(ok: boolean, detail?: string): void {
    this.health = ok ? { ok } : { ok, detail };
    this.options.metrics.consumerRunning.set(ok ? 1 : 0);
  }
}
