import {
  EVENT_TOPICS,
  fromKafkaMessage,
  newTraceparent,
  type EventCodec,
  type EventTopic,
  type PassportEvent,
} from '@passport/events';
import { HandlerTimeoutError, isPassportError } from '@passport/errors';
import type { Agency } from '@passport/config';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { handlerDeps } from '../handlers/deps';
import type { Matcher } from '../matching/matcher';
import { applyEvent, concernsUs } from '../handlers/reactions/apply-event';
import type { Metrics } from '../metrics';
import { claimEvent } from '../store/processed-events';
import { sendToDeadLetter } from './dead-letter';

export interface ConsumerDeps {
  db: Database;
  agency: Agency;
  codec: EventCodec;
  consumer: Consumer;
  producer: Producer;
  logger: Logger;
  metrics: Metrics;
  consumerGroup: string;
  handlerTimeoutMs: number;
  matcher: Matcher;
  webhooks: boolean;
  /** Called after an event's effects commit, e.g. to publish what it queued in the outbox at once. */
  afterApply: () => void;
}

type Outcome = 'applied' | 'skipped' | 'duplicate';

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Effect, event id and any events it emits commit together: a redelivery finds the id and does nothing. */
async function applyOnce(
  deps: ConsumerDeps,
  event: PassportEvent,
  topic: string,
  partition: number,
  offset: string,
  traceparent: string,
): Promise<Outcome> {
  return deps.db.transaction(async (tx) => {
    const handler = handlerDeps(tx, deps.agency, traceparent, deps.matcher, deps.webhooks);
    if (!(await concernsUs(event, handler))) return 'skipped';
    if (!(await claimEvent(tx, { eventId: event.eventId, eventType: event.type, topic, partition, offset })))
      return 'duplicate';
    await applyEvent(event, handler);
    return 'applied';
  });
}

async function handleMessage(
  deps: ConsumerDeps,
  topic: EventTopic,
  partition: number,
  message: KafkaMessage,
): Promise<void> {
  let decoded: Awaited<ReturnType<typeof fromKafkaMessage>>;
  try {
    decoded = await fromKafkaMessage(deps.codec, topic, {
      value: message.value,
      headers: message.headers as never,
    });
  } catch (error) {
    // Undecodable or invalid: no retry can fix it. Park it and move on; retriable failures
    // (registry unreachable) propagate so the batch is retried instead.
    if (isPassportError(error) && error.retriable) throw error;
    await sendToDeadLetter(deps.producer, {
      topic,
      partition,
      message,
      consumerGroup: deps.consumerGroup,
      error,
    });
    deps.metrics.deadLetters.inc({ topic, code: isPassportError(error) ? error.code : 'UNEXPECTED' });
    deps.logger.warn(
      { topic, partition, offset: message.offset, err: error },
      'poison message sent to the dead-letter topic',
    );
    return;
  }
  const { event, attributes } = decoded;
  const timer = deps.metrics.handlerSeconds.startTimer({ type: event.type });
  const result = await withTimeout(
    applyOnce(deps, event, topic, partition, message.offset, attributes.traceparent ?? newTraceparent()),
    deps.handlerTimeoutMs,
    `${event.type} ${event.eventId}`,
  );
  timer();
  deps.metrics.eventsIn.inc({ type: event.type, result });
  if (result === 'applied') {
    deps.logger.info(
      {
        requestId: event.requestId,
        eventId: event.eventId,
        type: event.type,
        traceparent: attributes.traceparent,
      },
      'event applied',
    );
    deps.afterApply();
  }
}

/**
 * Consumes the four exchange topics in one group `<agency>.<purpose>`. Offsets are resolved message by
 * message, with heartbeats, so a rebalance or a stop mid-batch redoes at most one message.
 */
export async function startEventConsumer(deps: ConsumerDeps): Promise<void> {
  await deps.consumer.subscribe({ topics: [...EVENT_TOPICS], fromBeginning: true });
  await deps.consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      isRunning,
      isStale,
      commitOffsetsIfNecessary,
    }: EachBatchPayload) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await handleMessage(deps, batch.topic as EventTopic, batch.partition, message);
        resolveOffset(message.offset);
        await heartbeat();
      }
      await commitOffsetsIfNecessary();
      deps.metrics.consumerLag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
    },
  });
}
