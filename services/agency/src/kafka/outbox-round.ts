import { isPassportError, type PassportError } from '@passport/errors';
import { toKafkaMessage, type EventCodec, type OutgoingMessage } from '@passport/events';
import { signOutgoing, type RecordSigner } from '@passport/trust';
import type { Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import type { Metrics } from '../metrics';
import { markPublished, type OutboxRow } from '../store/outbox';
import type { OutboxConfirmation } from '../store/outbox-confirmation';
import { quarantine } from '../store/outbox-quarantine';
import { asRowRefusal, isRowRefusal } from './publish-refusal';

export interface RoundDeps {
  db: Database;
  producer: Producer;
  codec: EventCodec;
  /** This agency's keys: every record it publishes carries their signature. */
  signer: RecordSigner;
  logger: Logger;
  metrics: Metrics;
  /** 'ack' counts a row as delivered once the broker acknowledges it (benchmark baseline); default 'echo'. */
  confirmation?: OutboxConfirmation;
}

type Outgoing = OutgoingMessage & { row: OutboxRow };

/**
 * One publishing round over rows in outbox order: encode, send as one batch, mark published. A row
 * refused for a reason no retry fixes is quarantined, its request's later rows in the round wait, and
 * the rest go on; any other failure is thrown and holds the outbox. Returns how many rows were
 * settled (published or quarantined).
 */
export async function publishRound(deps: RoundDeps, rows: readonly OutboxRow[]): Promise<number> {
  const { outgoing, setAside } = await encode(deps, rows);
  if (outgoing.length === 0) return setAside;
  try {
    await send(deps, outgoing);
  } catch (error) {
    if (!isRowRefusal(error)) throw error;
    return setAside + (await publishOneByOne(deps, outgoing));
  }
  await settle(deps, outgoing);
  return setAside + outgoing.length;
}

/** A row the contract refuses is set aside at once; nothing of its request after it is encoded. */
async function encode(
  deps: RoundDeps,
  rows: readonly OutboxRow[],
): Promise<{ outgoing: Outgoing[]; setAside: number }> {
  const outgoing: Outgoing[] = [];
  const blocked = new Set<string>();
  for (const row of rows) {
    if (blocked.has(row.event.requestId)) continue;
    try {
      outgoing.push({ row, ...signed(deps, toKafkaMessage(deps.codec, row.event, row.traceparent)) });
    } catch (error) {
      if (!isPassportError(error) || !isRowRefusal(error)) throw error;
      await setAsideRow(deps, row, error);
      blocked.add(row.event.requestId);
    }
  }
  return { outgoing, setAside: blocked.size };
}

/** The record with this agency's signature over topic, key, value and CloudEvents headers. */
function signed(deps: RoundDeps, outgoing: OutgoingMessage): OutgoingMessage {
  return { ...outgoing, message: signOutgoing(outgoing.topic, outgoing.message, deps.signer) };
}

async function send(deps: RoundDeps, outgoing: readonly Outgoing[]): Promise<void> {
  const byTopic = new Map<string, TopicMessages>();
  for (const { topic, message } of outgoing) {
    const entry = byTopic.get(topic) ?? { topic, messages: [] };
    entry.messages.push(message);
    byTopic.set(topic, entry);
  }
  await deps.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
}

/**
 * The broker refused the batch because of some row in it: each row alone, in order, finds which.
 * A failure that may pass stops the round; rows already sent are marked published all the same.
 */
async function publishOneByOne(deps: RoundDeps, outgoing: readonly Outgoing[]): Promise<number> {
  const published: Outgoing[] = [];
  const blocked = new Set<string>();
  try {
    for (const item of outgoing) {
      if (blocked.has(item.row.event.requestId)) continue;
      try {
        await send(deps, [item]);
        published.push(item);
      } catch (error) {
        if (!isRowRefusal(error)) throw error;
        await setAsideRow(deps, item.row, asRowRefusal(error, item.topic));
        blocked.add(item.row.event.requestId);
      }
    }
  } finally {
    await settle(deps, published);
  }
  return published.length + blocked.size;
}

async function settle(deps: RoundDeps, published: readonly Outgoing[]): Promise<void> {
  if (published.length === 0) return;
  await markPublished(
    deps.db,
    published.map((item) => item.row.id),
    { confirmed: deps.confirmation === 'ack' },
  );
  for (const { row } of published) deps.metrics.eventsOut.inc({ type: row.event.type });
  // The id list is built only when someone reads it: this runs for every publish.
  if (deps.logger.isLevelEnabled('debug'))
    deps.logger.debug(
      {
        count: published.length,
        requestIds: [...new Set(published.map((item) => item.row.event.requestId))],
      },
      'outbox published',
    );
}

async function setAsideRow(deps: RoundDeps, row: OutboxRow, error: PassportError): Promise<void> {
  await quarantine(deps.db, row.id, error);
  deps.logger.error(
    {
      outboxId: row.id,
      eventId: row.eventId,
      requestId: row.event.requestId,
      type: row.event.type,
      err: error,
    },
    "outbox row quarantined: it cannot be published as it is; the request's later events wait for it",
  );
}
