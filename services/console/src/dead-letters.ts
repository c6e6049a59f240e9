import { NotFoundError, UsageError } from '@passport/errors';
import { readRange, resolveSpans, type PartitionSpan, type RangeMessage } from '@passport/streams';
import type { ConsoleContext } from './context';

/** A dead letter and the agency whose dead-letter topic holds it: only that agency's principal wrote it. */
export interface DeadLetter extends RangeMessage {
  agency: string;
}

/** `<agency>/<partition>:<offset>`: how admins name one dead letter. */
export const deadLetterId = (m: { agency: string; partition: number; offset: string }) =>
  `${m.agency}/${m.partition}:${m.offset}`;

const ID = /^([a-z][a-z0-9]{1,15})\/(\d{1,5}):(\d{1,19})$/;

export function parseDeadLetterId(
  context: ConsoleContext,
  id: string,
): { agency: string; topic: string; partition: number; offset: bigint } {
  const [, agency = '', partition = '', offset = ''] = ID.exec(id) ?? [];
  const topic = context.topics.deadLetterOf(agency);
  if (!agency || context.topics.agencyOfDeadLetter(topic) === undefined)
    throw new UsageError(`${id} is not a dead letter id: <agency>/<partition>:<offset>, see dlq list`);
  return { agency, topic, partition: Number(partition), offset: BigInt(offset) };
}

const withAgency = (context: ConsoleContext, m: RangeMessage): DeadLetter => ({
  ...m,
  agency: context.topics.agencyOfDeadLetter(m.topic) ?? '',
});

async function readSpans(context: ConsoleContext, topic: string, spans: PartitionSpan[]) {
  const read: DeadLetter[] = [];
  await readRange(context.kafka, topic, spans, (m) => void read.push(withAgency(context, m)), {
    groupPrefix: 'passport-console.dlq',
  });
  return read;
}

/** The dead letters named by their ids, each read on its own partition and offset only. */
export async function readDeadLettersById(context: ConsoleContext, ids: readonly string[]) {
  const admin = await context.connectedAdmin();
  const found: DeadLetter[] = [];
  for (const id of ids) {
    const { topic, partition, offset } = parseDeadLetterId(context, id);
    // Only an offset the partition still holds is read: any other would wait for a message never coming.
    const span = (await resolveSpans(admin, topic)).find((s) => s.partition === partition);
    if (!span || offset < span.start || offset >= span.end) throw new NotFoundError(`dead letter ${id}`);
    const letters = await readSpans(context, topic, [{ partition, start: offset, end: offset + 1n }]);
    const letter = letters.find((m) => deadLetterId(m) === id);
    if (!letter) throw new NotFoundError(`dead letter ${id}`);
    found.push(letter);
  }
  return found;
}

/** Each dead letter of the chosen agencies in turn, read topic by topic, never all held at once. */
export async function forEachDeadLetter(
  context: ConsoleContext,
  agencies: readonly string[],
  visit: (letter: DeadLetter) => Promise<void>,
): Promise<void> {
  const admin = await context.connectedAdmin();
  for (const agency of agencies) {
    const topic = context.topics.deadLetterOf(agency);
    await readRange(
      context.kafka,
      topic,
      await resolveSpans(admin, topic),
      (m) => visit(withAgency(context, m)),
      {
        groupPrefix: 'passport-console.dlq',
      },
    );
  }
}

/** Where a page starts: per dead-letter topic and partition, the first offset to read. */
export type Cursor = Map<string, Map<number, bigint>>;

const CURSOR_ENTRY = /^([a-z][a-z0-9]{1,15})\/(\d{1,5}):(\d{1,19})$/;

/** `bwi/0:12,bwi/1:3,…` as `dlq list` prints it for the next page. */
export function parseCursor(context: ConsoleContext, text: string): Cursor | undefined {
  if (text.length > 10_000 || !/^[a-z0-9/:,]+$/.test(text)) return undefined;
  const cursor: Cursor = new Map();
  for (const entry of text.split(',')) {
    const [, agency = '', partition = '', offset = ''] = CURSOR_ENTRY.exec(entry) ?? [];
    const topic = context.topics.deadLetterOf(agency);
    if (!agency || context.topics.agencyOfDeadLetter(topic) === undefined) return undefined;
    const partitions = cursor.get(topic) ?? cursor.set(topic, new Map()).get(topic)!;
    partitions.set(Number(partition), BigInt(offset));
  }
  return cursor;
}

export function formatCursor(context: ConsoleContext, cursor: Cursor): string {
  return [...cursor.entries()]
    .flatMap(([topic, partitions]) =>
      [...partitions.entries()].map(([p, o]) => `${context.topics.agencyOfDeadLetter(topic)}/${p}:${o}`),
    )
    .join(',');
}

export interface DeadLetterPage {
  letters: DeadLetter[];
  /** Where the next page starts, or undefined when this page reached the end of every partition. */
  next: Cursor | undefined;
}

/**
 * At most `limit` dead letters of the chosen agencies, oldest first, from a cursor or a time. Each
 * partition is read for at most `limit` messages, the merged list cut at `limit`, and the cursor moves
 * past what was shown on each partition only: nothing is skipped or shown twice from page to page.
 */
export async function readDeadLetterPage(
  context: ConsoleContext,
  options: { agencies: readonly string[]; limit: number; from?: Cursor | Date },
): Promise<DeadLetterPage> {
  const admin = await context.connectedAdmin();
  const { from, limit } = options;
  const starts: Cursor = new Map();
  const highs = new Map<string, bigint>();
  const read: DeadLetter[] = [];
  for (const agency of options.agencies) {
    const topic = context.topics.deadLetterOf(agency);
    const spans = await resolveSpans(admin, topic, from instanceof Date ? { time: from } : undefined);
    const chosen = spans.map((span) => {
      const wanted = from instanceof Map ? from.get(topic)?.get(span.partition) : undefined;
      const start = wanted === undefined || wanted < span.start ? span.start : wanted;
      highs.set(`${topic}/${span.partition}`, span.end);
      return { partition: span.partition, start, end: minimum(span.end, start + BigInt(limit)) };
    });
    starts.set(topic, new Map(chosen.map((s) => [s.partition, s.start])));
    read.push(...(await readSpans(context, topic, chosen)));
  }
  const letters = oldestFirst(read, limit);
  for (const letter of letters) starts.get(letter.topic)?.set(letter.partition, BigInt(letter.offset) + 1n);
  const more = [...starts.entries()].some(([topic, partitions]) =>
    [...partitions.entries()].some(([p, next]) => next < (highs.get(`${topic}/${p}`) ?? 0n)),
  );
  return { letters, next: more ? starts : undefined };
}

const minimum = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Merges the partitions by timestamp, each taken in offset order, so what is shown of a partition is
 * always a prefix of what was read, even where a writer's timestamps go backwards.
 */
function oldestFirst(read: readonly DeadLetter[], limit: number): DeadLetter[] {
  const queues = new Map<string, DeadLetter[]>();
  for (const m of read) {
    const key = `${m.topic}/${m.partition}`;
    (queues.get(key) ?? queues.set(key, []).get(key)!).push(m);
  }
  const heads = [...queues.values()].map((queue) => ({ queue, at: 0 }));
  const merged: DeadLetter[] = [];
  while (merged.length < limit) {
    let best: (typeof heads)[number] | undefined;
    for (const head of heads) {
      const candidate = head.queue[head.at];
      const current = best?.queue[best.at];
      if (candidate && (!current || Number(candidate.timestamp) < Number(current.timestamp))) best = head;
    }
    const next = best?.queue[best.at];
    if (!best || !next) break;
    merged.push(next);
    best.at += 1;
  }
  return merged;
}
