import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createKafka } from '@passport/bus';
import { EVENT_TOPICS } from '@passport/events';
import { readRange, resolveSpans, waitForGroupCaughtUp } from '@passport/streams';
import { logLevel } from 'kafkajs';
import { kafkaNodeProcess } from '../../infra/src/kafka/cluster';
import { runningPid } from '../../infra/src/processes';
import type { InfraProfile } from '../../infra/src/profile';
import { adminConnection } from './cluster';

/** What one round of the drill counted; every figure comes from a database file or a topic. */
export interface DrillOutcome {
  accepted: number;
  answeredByEveryPartner: number;
  /** Rows the four outboxes hold for the round, and how many of them are still unpublished. */
  outboxRows: number;
  unpublished: number;
  /** Outbox rows marked published whose event id is on no exchange topic: the loss issue 14 saw. */
  publishedButMissing: number;
  /** Messages on the topics for the round, and how many repeat an event id already there. */
  messagesOnTopics: number;
  resentCopies: number;
  /** Back-office feed rows written twice for the same event: an event applied twice. */
  duplicatesApplied: number;
}

function readOnly<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** SIGKILL to one broker of the run's local cluster: no clean shutdown, no leadership handed over. */
export async function killBroker(profile: InfraProfile, nodeId: number): Promise<void> {
  const pid = runningPid(kafkaNodeProcess(profile, nodeId));
  if (pid === undefined) throw new Error(`Kafka node ${nodeId} is not running`);
  process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error(`Kafka node ${nodeId} (pid ${pid}) survived SIGKILL for 10 s`);
}

/** Outbox rows not yet published, over every agency. */
export function unpublishedRows(dbFiles: Record<string, string>): number {
  let total = 0;
  for (const file of Object.values(dbFiles))
    total += readOnly(
      file,
      (db) =>
        (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL').get() as { n: number }).n,
    );
  return total;
}

/** Requests of the round every targeted partner has answered, as the home agency recorded them. */
export function answeredByEveryPartner(bwiDb: string, requestIds: readonly string[]): number {
  if (requestIds.length === 0) return 0;
  return readOnly(bwiDb, (db) => {
    const answered = db.prepare(
      "SELECT COUNT(*) AS n FROM partner_replies WHERE request_id = ? AND status IN ('candidates', 'none_found')",
    );
    return requestIds.filter((id) => (answered.get(id) as { n: number }).n === 3).length;
  });
}

/** Event ids (ce_id) of every message written to the exchange topics since `since`, with repeats. */
async function eventIdsOnTopics(since: Date): Promise<string[]> {
  const kafka = createKafka(adminConnection(), { clientId: 'fault-drill', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ids: string[] = [];
  try {
    for (const topic of EVENT_TOPICS) {
      const spans = await resolveSpans(admin, topic, { time: since });
      await readRange(kafka, topic, spans, (message) => {
        if (message.headers.ce_id) ids.push(message.headers.ce_id);
      });
    }
  } finally {
    await admin.disconnect();
  }
  return ids;
}

export async function countOutcomes(
  dbFiles: Record<string, string>,
  requestIds: readonly string[],
  since: Date,
): Promise<DrillOutcome> {
  const onTopics = await eventIdsOnTopics(since);
  const distinct = new Set(onTopics);
  let outboxRows = 0;
  let unpublished = 0;
  let publishedButMissing = 0;
  let duplicatesApplied = 0;
  for (const file of Object.values(dbFiles))
    readOnly(file, (db) => {
      const rows = db
        .prepare('SELECT event_id AS eventId, published_at AS publishedAt FROM outbox WHERE created_at >= ?')
        .all(since.getTime()) as Array<{ eventId: string; publishedAt: number | null }>;
      outboxRows += rows.length;
      unpublished += rows.filter((row) => row.publishedAt === null).length;
      publishedButMissing += rows.filter(
        (row) => row.publishedAt !== null && !distinct.has(row.eventId),
      ).length;
      const twice = db
        .prepare(
          'SELECT COUNT(*) AS n FROM (SELECT 1 FROM feed WHERE created_at >= ? GROUP BY request_id, kind, body HAVING COUNT(*) > 1)',
        )
        .get(since.getTime()) as { n: number };
      duplicatesApplied += twice.n;
    });
  return {
    accepted: requestIds.length,
    answeredByEveryPartner: answeredByEveryPartner(dbFiles.bwi as string, requestIds),
    outboxRows,
    unpublished,
    publishedButMissing,
    messagesOnTopics: onTopics.length,
    resentCopies: onTopics.length - distinct.size,
    duplicatesApplied,
  };
}

/** Every partition of the exchange topics back to three in-sync replicas, so the next kill is alone. */
export async function waitForFullIsr(timeoutMs: number): Promise<void> {
  const admin = createKafka(adminConnection(), {
    clientId: 'fault-drill-isr',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...EVENT_TOPICS] });
      const short = topics.flatMap((t) => t.partitions).filter((p) => p.isr.length < 3).length;
      if (short === 0) return;
      if (Date.now() > deadline) throw new Error(`${short} partitions still below 3 in-sync replicas`);
      await sleep(1_000);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Fresh groups start from the topics' beginning: earlier runs' requests are answered first. */
export async function catchUpWithHistory(purpose: string, dbFiles: Record<string, string>): Promise<void> {
  const admin = createKafka(adminConnection(), {
    clientId: 'fault-drill-history',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    // Partners answer old requests, which BW_i then reads: a few passes until nothing moves.
    for (let pass = 0; pass < 5; pass += 1) {
      for (const agency of ['aura', 'accio', 'promos', 'bwi'])
        await waitForGroupCaughtUp(admin, `${agency}.${purpose}`, EVENT_TOPICS, { timeoutMs: 300_000 });
      if (unpublishedRows(dbFiles) === 0) return;
      await sleep(2_000);
    }
  } finally {
    await admin.disconnect();
  }
}
