import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createKafka } from '@passport/bus';
import type { ConnectionSettings } from '@passport/config';
import { EVENT_TOPICS } from '@passport/events';
import { readRange, resolveSpans, waitForGroupCaughtUp } from '@passport/streams';
import { logLevel } from 'kafkajs';

/** A request the drill sent, and the agency that sent it (whose database records the answers). */
export interface SentRequest {
  home: string;
  requestId: string;
}

/** What one round of the drill counted; every figure comes from a database file or a topic. */
export interface DrillOutcome {
  accepted: number;
  answeredByEveryPartner: number;
  /** Rows the four outboxes hold for the round; not yet published; published but not seen back. */
  outboxRows: number;
  unpublished: number;
  unconfirmed: number;
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

/** Outbox rows not yet confirmed by their echo, over every agency. */
export function unconfirmedRows(dbFiles: Record<string, string>): number {
  let total = 0;
  for (const file of Object.values(dbFiles))
    total += readOnly(
      file,
      (db) =>
        (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE confirmed_at IS NULL').get() as { n: number }).n,
    );
  return total;
}

/** Requests every partner they target (the other three agencies) has answered, as their home recorded. */
export function answeredByEveryPartner(
  dbFiles: Record<string, string>,
  requests: readonly SentRequest[],
): number {
  let answered = 0;
  for (const [home, file] of Object.entries(dbFiles)) {
    const ids = requests.filter((request) => request.home === home).map((request) => request.requestId);
    if (ids.length === 0) continue;
    answered += readOnly(file, (db) => {
      const replies = db.prepare(
        "SELECT COUNT(*) AS n FROM partner_replies WHERE request_id = ? AND status IN ('candidates', 'none_found')",
      );
      return ids.filter((id) => (replies.get(id) as { n: number }).n === 3).length;
    });
  }
  return answered;
}

/** Event ids (ce_id) of every message written to the exchange topics since `since`, with repeats. */
async function eventIdsOnTopics(admin: ConnectionSettings, since: Date): Promise<string[]> {
  const kafka = createKafka(admin, { clientId: 'fault-drill', logLevel: logLevel.NOTHING });
  const client = kafka.admin();
  await client.connect();
  const ids: string[] = [];
  try {
    for (const topic of EVENT_TOPICS) {
      const spans = await resolveSpans(client, topic, { time: since });
      await readRange(kafka, topic, spans, (message) => {
        if (message.headers.ce_id) ids.push(message.headers.ce_id);
      });
    }
  } finally {
    await client.disconnect();
  }
  return ids;
}

export async function countOutcomes(
  admin: ConnectionSettings,
  dbFiles: Record<string, string>,
  requests: readonly SentRequest[],
  since: Date,
): Promise<DrillOutcome> {
  const onTopics = await eventIdsOnTopics(admin, since);
  const distinct = new Set(onTopics);
  const outcome = {
    outboxRows: 0,
    unpublished: 0,
    unconfirmed: 0,
    publishedButMissing: 0,
    duplicatesApplied: 0,
  };
  for (const file of Object.values(dbFiles))
    readOnly(file, (db) => {
      const rows = db
        .prepare(
          `SELECT event_id AS eventId, published_at AS publishedAt, confirmed_at AS confirmedAt
           FROM outbox WHERE created_at >= ?`,
        )
        .all(since.getTime()) as Array<{
        eventId: string;
        publishedAt: number | null;
        confirmedAt: number | null;
      }>;
      outcome.outboxRows += rows.length;
      outcome.unpublished += rows.filter((row) => row.publishedAt === null).length;
      outcome.unconfirmed += rows.filter((row) => row.confirmedAt === null).length;
      outcome.publishedButMissing += rows.filter(
        (row) => row.publishedAt !== null && !distinct.has(row.eventId),
      ).length;
      const twice = db
        .prepare(
          'SELECT COUNT(*) AS n FROM (SELECT 1 FROM feed WHERE created_at >= ? GROUP BY request_id, kind, body HAVING COUNT(*) > 1)',
        )
        .get(since.getTime()) as { n: number };
      outcome.duplicatesApplied += twice.n;
    });
  return {
    accepted: requests.length,
    answeredByEveryPartner: answeredByEveryPartner(dbFiles, requests),
    ...outcome,
    messagesOnTopics: onTopics.length,
    resentCopies: onTopics.length - distinct.size,
  };
}

/** Sum of one counter over the services' /metrics pages. */
export async function summedMetric(urls: readonly string[], name: string): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n'))
      if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Fresh groups start from the topics' beginning: earlier runs' requests are answered first. */
export async function catchUpWithHistory(
  admin: ConnectionSettings,
  purpose: string,
  dbFiles: Record<string, string>,
): Promise<void> {
  const client = createKafka(admin, { clientId: 'fault-drill-history', logLevel: logLevel.NOTHING }).admin();
  await client.connect();
  try {
    // Partners answer old requests, which their homes then read: a few passes until nothing moves.
    for (let pass = 0; pass < 5; pass += 1) {
      for (const agency of ['aura', 'accio', 'promos', 'bwi'])
        await waitForGroupCaughtUp(client, `${agency}.${purpose}`, EVENT_TOPICS, { timeoutMs: 300_000 });
      if (unconfirmedRows(dbFiles) === 0) return;
      await sleep(2_000);
    }
  } finally {
    await client.disconnect();
  }
}
