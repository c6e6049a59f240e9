import {
  cloudEventSource,
  EVENT_TOPICS,
  eventTypeOfCloudEventType,
  fromKafkaMessage,
  headerText,
  newTraceparent,
  type EventCodec,
  type EventTopic,
  type KafkaHeaderValue,
  type PassportEvent,
} from '@passport/events';
import { HandlerTimeoutError, isPassportError, type EventForbiddenError } from '@passport/errors';
import { deadLetterTopicOf, type Agency } from '@passport/config';
import { evidenceOfRecord, type EvidenceFields, type SignatureVerdict } from '@passport/trust';
import { performance } from 'node:perf_hooks';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { handlerDeps } from '../handlers/deps';
import type { CandidateRefs } from '../matching/candidate-refs';
import type { Matcher } from '../matching/matcher';
import { applyAllowed, judgeEvent, refusalOf } from '../handlers/reactions/apply-event';
import type { Metrics } from '../metrics';
import { isInOutbox } from '../store/outbox';
import { appendEvidence } from '../store/evidence-log';
import { confirmDelivered, type OutboxConfirmation } from '../store/outbox-confirmation';
import { claimEvent } from '../store/processed-events';
import { parkDeadLetter } from './dead-letter';
import { confirmDeadLetterEchoes } from './dead-letter-echo';
import { LiveTrustList, type TrustSource } from '../live-trust-list';
import type { SealingMode } from '../handlers/sealing/sealing-mode';
import { batchSenders } from './verify-sender';

/** What applying a fetched batch needs; the benchmark and tests drive consumeBatch with it directly. */
export interface BatchDeps {
  db: Database;
  agency: Agency;
  codec: EventCodec;
  /**
   * Every agency's public keys: a record whose signature it does not vouch for is parked unread. Read
   * at each record, so a rotation statement applied a moment ago counts for the next record.
   */
  trustList: TrustSource;
  /**
   * Bench-only: names a record's sender without checking its signature, so the pipeline benchmark can
   * measure what verification costs against a baseline in the same run. The service never sets it.
   */
  benchOnlyUnverifiedSender?: (message: KafkaMessage) => string;
  logger: Logger;
  metrics: Metrics;
  consumerGroup: string;
  handlerTimeoutMs: number;
  matcher: Matcher;
  webhooks: boolean;
  candidateRefs: CandidateRefs;
  /** SEALED_INTRODUCTIONS: whether our automatic answers announce an introduction key; `required` when absent. */
  sealing?: SealingMode;
  /** Called after an event's effects commit, e.g. to publish what it queued in the outbox at once. */
  afterApply: () => void;
  /** Called after a poison message is queued as a dead letter, to send it at once. */
  afterPark?: () => void;
  /** Under 'ack' the relay confirmed the rows at publish, so echoes need no write; default 'echo'. */
  outboxConfirmation?: OutboxConfirmation;
}

export interface ConsumerDeps extends BatchDeps {
  consumer: Consumer;
}

type Outcome = 'applied' | 'skipped' | 'duplicate' | 'forbidden';

/** How an event went: a forbidden one carries its refusal, parked once the run has committed. */
interface Settled {
  outcome: Outcome;
  seconds: number;
  refusal?: EventForbiddenError;
}

/** Events applied in one transaction at most: bounds the work redone after a crash mid-batch. */
const MAX_EVENTS_PER_TRANSACTION = 500;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A message that decoded and validated, waiting to be applied; the original is kept for parking. */
interface DecodedMessage {
  kind: 'event';
  offset: string;
  event: PassportEvent;
  traceparent: string | undefined;
  message: KafkaMessage;
  /** The agency whose signature the record carries, verified against the trust list. */
  signer: string;
}

/**
 * An event this agency published, back from the topic: nothing to apply; it proves the event arrived
 * (its outbox row is confirmed) and its offset is resolved.
 */
interface OwnEcho {
  kind: 'echo';
  offset: string;
  eventType: string;
  eventId: string;
}

/** What a run holds, in offset order; echoes stay in it so offsets are resolved in order. */
type RunItem = DecodedMessage | OwnEcho;

const describeItem = (item: RunItem) =>
  item.kind === 'echo'
    ? `own ${item.eventType} at offset ${item.offset}`
    : `${item.event.type} ${item.event.eventId}`;

/** What the consumer needs from kafkajs' batch payload; the benchmark drives the same code. */
export interface BatchControl {
  resolveOffset: (offset: string) => void;
  heartbeat: () => Promise<void>;
  /** True once the consumer is stopping or the batch went stale in a rebalance. */
  shouldStop: () => boolean;
}

/**
 * Effect, event id and any events it emits commit together: a redelivery finds the id and does nothing.
 * On a run's transaction (`db` is its tx) this joins it; on the database it is its own transaction.
 * Authority is judged here, before the claim, for every event: a forbidden one changes nothing and is
 * not recorded, but returned with its refusal so the run goes on (it is parked after the commit).
 */
function applyOnce(
  db: Database,
  deps: BatchDeps,
  item: DecodedMessage,
  topic: string,
  partition: number,
): Promise<Omit<Settled, 'seconds'>> {
  const { event } = item;
  return db.transaction(async (tx) => {
    const handler = {
      ...handlerDeps(
        tx,
        deps.agency,
        item.traceparent ?? newTraceparent(),
        deps.matcher,
        deps.webhooks,
        deps.candidateRefs,
        deps.sealing,
      ),
      ...(deps.trustList instanceof LiveTrustList ? { trust: deps.trustList } : {}),
    };
    const verdict = await judgeEvent(event, handler, item.signer);
    if (verdict.kind === 'not-ours') return { outcome: 'skipped' as const };
    if (verdict.kind === 'already-applied') return { outcome: 'duplicate' as const };
    if (verdict.kind === 'forbidden')
      return { outcome: 'forbidden' as const, refusal: refusalOf(event, verdict) };
    const claim = { eventId: event.eventId, eventType: event.type, topic, partition, offset: item.offset };
    if (!(await claimEvent(tx, claim))) return { outcome: 'duplicate' as const };
    await applyAllowed(event, handler);
    return { outcome: 'applied' as const };
  });
}

/** applyOnce with its duration in seconds, for the handler histogram. */
async function timedApply(
  db: Database,
  deps: BatchDeps,
  item: RunItem,
  topic: string,
  partition: number,
): Promise<Settled> {
  if (item.kind === 'echo') return { outcome: 'skipped', seconds: 0 };
  const started = performance.now();
  const result = await applyOnce(db, deps, item, topic, partition);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** Metrics and the log line, once the transaction that applied the event has committed. */
function reportApplied(deps: BatchDeps, item: RunItem, outcome: Outcome, seconds: number): void {
  if (item.kind === 'echo') {
    deps.metrics.eventsIn.inc({ type: item.eventType, result: outcome });
    return;
  }
  deps.metrics.handlerSeconds.observe({ type: item.event.type }, seconds);
  deps.metrics.eventsIn.inc({ type: item.event.type, result: outcome });
  if (outcome !== 'applied') return;
  deps.logger.info(
    {
      requestId: item.event.requestId,
      eventId: item.event.eventId,
      type: item.event.type,
      traceparent: item.traceparent,
    },
    'event applied',
  );
}

/**
 * Once an event's effects have committed (or it needed none): park it if it was forbidden, report it
 * and resolve its offset. Parking waits for the dead letter to be on disk, so a forbidden event's
 * offset is never committed before its dead letter exists.
 */
async function settle(
  deps: BatchDeps,
  item: RunItem,
  { outcome, seconds, refusal }: Settled,
  where: { topic: EventTopic; partition: number },
  control: BatchControl,
): Promise<boolean> {
  if (refusal && item.kind === 'event') {
    await park(deps, where.topic, where.partition, item.message, refusal);
    deps.metrics.eventsForbidden.inc({ type: refusal.eventType, rule: refusal.rule });
  }
  reportApplied(deps, item, outcome, seconds);
  control.resolveOffset(item.offset);
  return outcome === 'applied';
}

/**
 * A handler failure that no retry can cure: its own rule refused what the event leads to (an answer
 * built from a directory entry the contract refuses, say). Retrying would hold the partition forever,
 * so the event is parked like a poison message. Anything else (database, broker, timeout, a bug) may
 * pass and is retried, holding the partition meanwhile.
 */
const cannotEverApply = (error: unknown) => isPassportError(error) && !error.retriable;

/** The fallback after a failed run: each event in a transaction of its own, in order. */
async function applyOneByOne(
  deps: BatchDeps,
  run: readonly RunItem[],
  topic: EventTopic,
  partition: number,
  control: BatchControl,
): Promise<void> {
  for (const item of run) {
    let result: Settled;
    try {
      result = await withTimeout(
        timedApply(deps.db, deps, item, topic, partition),
        deps.handlerTimeoutMs,
        describeItem(item),
      );
    } catch (error) {
      if (item.kind !== 'event' || !cannotEverApply(error)) throw error;
      await park(deps, topic, partition, item.message, error);
      control.resolveOffset(item.offset);
      continue;
    }
    if (await settle(deps, item, result, { topic, partition }, control)) deps.afterApply();
  }
}

/**
 * Applies a run of consecutive events in one transaction: one commit (one fsync) instead of one per
 * event. If any event fails, the shared transaction rolls back and the run is redone one transaction
 * per event, so the events before the failing one commit and the failure surfaces alone, in order.
 */
async function applyRun(
  deps: BatchDeps,
  run: readonly RunItem[],
  topic: EventTopic,
  partition: number,
  control: BatchControl,
): Promise<void> {
  let timed: Settled[];
  try {
    timed = await applyTogether(deps, run, topic, partition);
  } catch (error) {
    if (run.length === 1 && !cannotEverApply(error)) throw error;
    deps.logger.warn(
      { topic, partition, from: run[0]?.offset, err: error },
      'a batch of events failed; applying them one by one',
    );
    await applyOneByOne(deps, run, topic, partition, control);
    return;
  }
  let anyApplied = false;
  for (const [index, item] of run.entries())
    anyApplied =
      (await settle(deps, item, timed[index] as Settled, { topic, partition }, control)) || anyApplied;
  if (anyApplied) deps.afterApply();
}

/**
 * The whole run in one transaction, outcomes in run order. The timeout watches the transaction from
 * outside, as for a single event: a hung run is reported and retried, and whatever it still does
 * commits or rolls back as a whole. A run of echoes only has nothing to write and opens none.
 */
async function applyTogether(
  deps: BatchDeps,
  run: readonly RunItem[],
  topic: EventTopic,
  partition: number,
): Promise<Settled[]> {
  if (run.every((item) => item.kind === 'echo')) return run.map(() => ({ outcome: 'skipped', seconds: 0 }));
  const timed: Settled[] = [];
  await withTimeout(
    deps.db.transaction(async (tx) => {
      for (const item of run) timed.push(await timedApply(tx, deps, item, topic, partition));
    }),
    deps.handlerTimeoutMs,
    `${run.length} events from ${topic}[${partition}] at offset ${run[0]?.offset}`,
  );
  return timed;
}

/**
 * Every agency consumes the topics it writes to, so each event it publishes comes back to it. The
 * CloudEvents headers name the source and the event id; when the source is this agency and the id is
 * in its own outbox, it is that echo, and decoding and validating it would only end in "not ours".
 * Anything else, a message merely claiming our source included, takes the full path (and a poison one
 * goes to the dead-letter topic).
 */
async function ownEcho(deps: BatchDeps, message: KafkaMessage): Promise<OwnEcho | undefined> {
  const headers = message.headers as Record<string, KafkaHeaderValue> | undefined;
  if (headerText(headers, 'ce_source') !== cloudEventSource(deps.agency.id)) return undefined;
  const eventId = headerText(headers, 'ce_id');
  if (eventId === undefined || !(await isInOutbox(deps.db, eventId))) return undefined;
  const eventType = eventTypeOfCloudEventType(headerText(headers, 'ce_type') ?? '') ?? 'unknown';
  return { kind: 'echo', offset: message.offset, eventType, eventId };
}

/**
 * Undecodable or invalid: no retry can fix it. Park it: queue its dead letter in the database, from
 * where the dead-letter relay sends it to the agency's dead-letter topic and this consumer confirms it
 * when it reads it back. Retriable failures (registry unreachable) propagate so the batch is retried.
 * A message queued before (read again after a crash before its offset was committed) is not counted twice.
 */
async function park(
  deps: BatchDeps,
  topic: EventTopic,
  partition: number,
  message: KafkaMessage,
  error: unknown,
): Promise<boolean> {
  if (isPassportError(error) && error.retriable) throw error;
  const where = { topic, partition, message, consumerGroup: deps.consumerGroup, error };
  if (!(await parkDeadLetter(deps.db, where, Date.now()))) return false;
  deps.metrics.deadLetters.inc({ topic, code: isPassportError(error) ? error.code : 'UNEXPECTED' });
  deps.logger.warn(
    { topic, partition, offset: message.offset, err: error },
    'poison message queued for the dead-letter topic',
  );
  deps.afterPark?.();
  return true;
}

/**
 * One fetched batch of one partition, in offset order: each message's signature is verified first
 * (an unverified one is parked unread, own echoes included; the checks of the next messages already run
 * on the thread pool meanwhile), then messages are decoded one by one, consecutive
 * good events are applied in shared transactions, a poison message is parked after the events before
 * it have committed. Offsets are resolved only after their effects commit.
 * Every message, verified or refused, gets its evidence entry before the events read so far are
 * applied or parked: the entry says what arrived and how its signature was judged, which stays true
 * whatever applying it does (a handler's failure or a refusal rolls back the effect, not the proof).
 */
export async function consumeBatch(
  deps: BatchDeps,
  topic: EventTopic,
  partition: number,
  messages: readonly KafkaMessage[],
  control: BatchControl,
): Promise<void> {
  let run: RunItem[] = [];
  const evidence: EvidenceFields[] = [];
  const flush = async () => {
    await appendEvidence(deps.db, evidence.splice(0));
    if (run.length === 0) return;
    // One write for the run's echoes, before their offsets are resolved: a crash in between only
    // leaves rows unconfirmed, and those are sent again and dropped as duplicates.
    if (deps.outboxConfirmation !== 'ack')
      await confirmDelivered(
        deps.db,
        run.flatMap((item) => (item.kind === 'echo' ? [item.eventId] : [])),
        Date.now(),
      );
    await applyRun(deps, run, topic, partition, control);
    run = [];
    await control.heartbeat();
  };
  const senderOf = batchSenders(deps.trustList, topic, messages, deps.benchOnlyUnverifiedSender);
  for (const [index, message] of messages.entries()) {
    if (control.shouldStop()) break;
    let sender: Extract<SignatureVerdict, { signer: string }>;
    const at = new Date();
    const { key, value, offset, headers } = message;
    const record = { topic, partition, key, value, offset, headers };
    try {
      sender = await senderOf(index, at);
    } catch (error) {
      evidence.push(evidenceOfRecord(record, { refusal: error }, deps.agency.id, at));
      await flush();
      if (await park(deps, topic, partition, message, error))
        deps.metrics.eventsUnverified.inc({ code: isPassportError(error) ? error.code : 'UNEXPECTED' });
      control.resolveOffset(message.offset);
      continue;
    }
    evidence.push(evidenceOfRecord(record, sender, deps.agency.id, at));
    const { signer } = sender;
    const echo = await ownEcho(deps, message);
    if (echo) {
      run.push(echo);
      continue;
    }
    let decoded: Awaited<ReturnType<typeof fromKafkaMessage>>;
    try {
      decoded = await fromKafkaMessage(deps.codec, topic, {
        value: message.value,
        headers: message.headers as never,
      });
    } catch (error) {
      await flush();
      await park(deps, topic, partition, message, error);
      control.resolveOffset(message.offset);
      continue;
    }
    run.push({
      kind: 'event',
      offset: message.offset,
      event: decoded.event,
      traceparent: decoded.attributes.traceparent,
      message,
      signer,
    });
    // A rotation statement is applied (committed) before the next record is judged: the next may be
    // signed with the key it introduces (a partner's later rotation, read in the same fetch).
    if (run.length >= MAX_EVENTS_PER_TRANSACTION || decoded.event.type === 'KeyRotationAnnounced')
      await flush();
  }
  await flush();
}

/**
 * Consumes the exchange topics in one group `<agency>.<purpose>`. Offsets are resolved as the
 * transactions that applied their events commit, so a rebalance or a stop mid-batch redoes at most
 * one uncommitted run, whose events the dedupe record then skips or applies once. The agency's own
 * dead-letter topic is read in the same group, only to confirm the dead letters it sent.
 */
export async function startEventConsumer(deps: ConsumerDeps): Promise<void> {
  const deadLetterTopic = deadLetterTopicOf(deps.agency.id);
  await deps.consumer.subscribe({ topics: [...EVENT_TOPICS], fromBeginning: true });
  // A new group starts at the dead-letter topic's end: its history (up to 30 days of dead letters, some
  // near 1 MiB) proves nothing now. A dead letter sent before the group first joined is then not read
  // back, and is sent once more after the confirm timeout.
  await deps.consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: false });
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
      const control = { resolveOffset, heartbeat, shouldStop: () => !isRunning() || isStale() };
      if (batch.topic === deadLetterTopic)
        await confirmDeadLetterEchoes(deps.db, batch.messages, control, Date.now());
      else await consumeBatch(deps, batch.topic as EventTopic, batch.partition, batch.messages, control);
      await commitOffsetsIfNecessary();
      deps.metrics.consumerLag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
    },
  });
}
