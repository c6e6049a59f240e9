import { toKafkaMessage, type EventCodec } from '@passport/events';
import type { Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import type { Metrics } from '../metrics';
import { markPublished, outboxBacklog, unpublished } from '../store/outbox';

const BATCH = 200;
const MAX_BACKOFF_MS = 10_000;

/**
 * Publishes accepted events from the outbox. The API never waits for Kafka: while the broker is away
 * rows accumulate and go out, in order, when it is back. A crash between send and mark re-sends a
 * batch; consumers drop the duplicates by event id.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set by nudge(); a nudge that arrives while a round is publishing must not wait for the next poll. */
  private nudged = false;

  constructor(
    private readonly deps: {
      db: Database;
      producer: Producer;
      codec: EventCodec;
      logger: Logger;
      metrics: Metrics;
      pollMs: number;
    },
  ) {}

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

  /** One round: publishes up to BATCH events; returns how many went out. */
  async publishOnce(): Promise<number> {
    const rows = await unpublished(this.deps.db, BATCH);
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, TopicMessages>();
    for (const row of rows) {
      const { topic, message } = toKafkaMessage(this.deps.codec, row.event, row.traceparent);
      const entry = byTopic.get(topic) ?? { topic, messages: [] };
      entry.messages.push(message);
      byTopic.set(topic, entry);
    }
    await this.deps.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
    await markPublished(
      this.deps.db,
      rows.map((row) => row.id),
    );
    for (const row of rows) this.deps.metrics.eventsOut.inc({ type: row.event.type });
    // The id list is built only when someone reads it: this runs for every publish.
    if (this.deps.logger.isLevelEnabled('debug'))
      this.deps.logger.debug(
        { count: rows.length, requestIds: [...new Set(rows.map((row) => row.event.requestId))] },
        'outbox published',
      );
    return rows.length;
  }

  private async run(): Promise<void> {
    let backoff = this.deps.pollMs;
    while (this.running) {
      this.nudged = false;
      let failed = false;
      try {
        const sent = await this.publishOnce();
        backoff = this.deps.pollMs;
        this.deps.metrics.outboxBacklog.set(await outboxBacklog(this.deps.db));
        if (sent === BATCH) continue;
      } catch (error) {
        failed = true;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        this.deps.logger.warn(
          { err: error, retryInMs: backoff },
          'outbox publish failed; events stay queued',
        );
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
