import type { Agency } from '@passport/config';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { expireOverdue, remindUnanswered } from '../handlers/commands/deadlines';
import { handlerDeps } from '../handlers/deps';

/** Checks deadlines on a timer: reminders first, then expiry, each in its own transaction. */
export class DeadlineWatcher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      db: Database;
      agency: Agency;
      logger: Logger;
      intervalMs: number;
      reminderWindowMs: number;
      webhooks: boolean;
      afterChange: () => void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.round = this.round
        .then(() => this.check())
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'deadline check failed'));
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  async check(): Promise<void> {
    const { db, agency, webhooks } = this.deps;
    const reminded = await db.transaction((tx) =>
      remindUnanswered(handlerDeps(tx, agency, undefined, undefined, webhooks), this.deps.reminderWindowMs),
    );
    const expired = await db.transaction((tx) =>
      expireOverdue(handlerDeps(tx, agency, undefined, undefined, webhooks)),
    );
    if (reminded.length || expired.length) {
      this.deps.logger.info({ reminded, expired }, 'deadlines checked');
      this.deps.afterChange();
    }
  }
}
