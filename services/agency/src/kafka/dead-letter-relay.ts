import { DEAD_LETTER_MAX_MESSAGE_BYTES, deadLetterTopicOf } from '@passport/config';
import type { IHeaders, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import type { Metrics } from '../metrics';
import {
  deadLetterHealth,
  markDeadLettersPublished,
  requeueUnconfirmedDeadLetters,
  unpublishedDeadLetters,
  type DeadLetterRow,
} from '../store/dead-letter-outbox';
import { RelayLoop } from './relay-loop';

const BATCH = 50;
/** How often overdue dead letters are looked for: a lost one waits its timeout plus at most this. */
const MAX_REQUEUE_INTERVAL_MS = 1_000;

export interface DeadLetterRelayDeps {
  db: Database;
  producer: Producer;
  /** Its own dead-letter topic is the only one the agency may write (and read back). */
  agencyId: string;
  logger: Logger;
  metrics: Metrics;
  pollMs: number;
  /** A dead letter sent this long ago and not yet read back from the dead-letter topic is sent again. */
  confirmTimeoutMs: number;
  /** False while the consumer (which reads the echoes back) is not consuming: resending then is noise. */
  echoesReadable?: () => boolean;
  now?: () => number;
}

function asMessage(row: DeadLetterRow): Message {
  const headers: Record<string, Buffer[]> = {};
  for (const [name, value] of row.headers) (headers[name] ??= []).push(value);
  return { key: row.key, value: row.value, headers: headers as IHeaders };
}

const sizeOf = (row: DeadLetterRow) =>
  (row.key?.length ?? 0) +
  (row.value?.length ?? 0) +
  row.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);

/**
 * Rows in sends whose records add up to less than the topic's max.message.bytes: one dead letter fits
 * by construction (dead-letter-size), but records bound for one partition travel as one batch, which
 * the broker measures against that same limit.
 */
function inSends(rows: readonly DeadLetterRow[]): DeadLetterRow[][] {
  const sends: DeadLetterRow[][] = [];
  let current: DeadLetterRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = sizeOf(row);
    if (current.length > 0 && bytes + size > DEAD_LETTER_MAX_MESSAGE_BYTES / 2) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

/**
 * Publishes the dead letters the consumer queued (store/dead-letter-outbox) to the agency's
 * dead-letter topic. As for exchange events, an acknowledged send is not proof (kafka/producer-options):
 * a dead letter counts as delivered when the consumer reads it back by its `dlq_id`
 * (kafka/dead-letter-echo), and one not read back within confirmTimeoutMs is sent again. Its own loop,
 * so a dead-letter topic that refuses writes never holds the exchange events back, nor the consumer.
 */
export class DeadLetterRelay {
  private lastRequeueAt = Number.NEGATIVE_INFINITY;
  private readonly loop: RelayLoop;
  private readonly topic: string;

  constructor(private readonly deps: DeadLetterRelayDeps) {
    this.topic = deadLetterTopicOf(deps.agencyId);
    this.loop = new RelayLoop({
      pollMs: deps.pollMs,
      batch: BATCH,
      logger: deps.logger,
      failureMessage: 'dead-letter publish failed; dead letters stay queued',
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

  /** A dead letter was queued: send it now rather than at the next poll. */
  nudge(): void {
    this.loop.nudge();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Puts dead letters sent too long ago without an echo back in line; returns how many. */
  async requeueOverdue(): Promise<number> {
    const now = this.now();
    if (now - this.lastRequeueAt < Math.min(MAX_REQUEUE_INTERVAL_MS, this.deps.confirmTimeoutMs)) return 0;
    if (this.deps.echoesReadable?.() === false) return 0;
    this.lastRequeueAt = now;
    const requeued = await requeueUnconfirmedDeadLetters(this.deps.db, now - this.deps.confirmTimeoutMs);
    if (requeued > 0) {
      this.deps.metrics.deadLetterResends.inc(requeued);
      this.deps.logger.warn(
        { deadLetters: requeued, confirmTimeoutMs: this.deps.confirmTimeoutMs },
        'dead letters not seen on the dead-letter topic in time; sending them again',
      );
    }
    return requeued;
  }

  /** One round over up to BATCH queued dead letters, oldest first; returns how many were sent. */
  async publishOnce(): Promise<number> {
    await this.requeueOverdue();
    const rows = await unpublishedDeadLetters(this.deps.db, BATCH);
    for (const send of inSends(rows)) {
      await this.deps.producer.send({ topic: this.topic, acks: -1, messages: send.map(asMessage) });
      await markDeadLettersPublished(
        this.deps.db,
        send.map((row) => row.id),
        this.now(),
      );
    }
    return rows.length;
  }

  /** Gauges for alerts; a database that fails here is already reported by the round and /readyz. */
  private async reportHealth(): Promise<void> {
    try {
      const health = await deadLetterHealth(this.deps.db);
      const oldest = health.oldestFirstPublishedAt;
      this.deps.metrics.deadLettersBacklog.set(health.backlog);
      this.deps.metrics.deadLettersUnconfirmed.set(health.unconfirmed);
      this.deps.metrics.deadLettersUnconfirmedOldestSeconds.set(
        oldest === undefined ? 0 : Math.max(0, this.now() - oldest) / 1000,
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'dead-letter metrics could not be read');
    }
  }
}
