import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TopicNames } from '@passport/streams';
import type { ConsoleContext } from './context';
import { dlqIdOf } from './dead-letter-repeats';
import { deadLetterId, type DeadLetter } from './dead-letters';

export interface RedriveRecord {
  deadLetter: string;
  /** `<agency> <dlq_id>` of the dead letter, so a repeated copy of it is not redriven again. */
  copyOf?: string;
  topic: string;
  partition: number;
  offset: string;
  redrivenAt: string;
}

/** Kafka caps topic names at 249 characters and group ids are ours; longer headers are not ours. */
const MAX_NAME = 255;
const PARTITION = /^\d{1,10}$/;
const OFFSET = /^\d{1,19}$/;

/** A header value shortened for an error message; the console escapes its control characters. */
const quoted = (value: string | undefined) =>
  value === undefined ? 'missing' : `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;

/**
 * Why a dead letter must not be republished, or undefined when it may be. What it asserts about its
 * origin must hold together: it sits on agency X's dead-letter topic (only X's principal and the admin
 * can write there), so its consumer group must be one of X's (`X.` prefix) and its original topic one
 * of the exchange's event topics of this run. A dead letter cut to fit its topic has lost bytes and is
 * never republished. Every check is a length check first, then a comparison or an anchored pattern.
 */
export function redriveRefusal(topics: TopicNames, letter: DeadLetter): string | undefined {
  const { agency, headers } = letter;
  if (!agency || topics.agencyOfDeadLetter(letter.topic) !== agency)
    return `it is not on the dead-letter topic of a known agency`;
  if (headers.dlq_truncated !== undefined)
    return `it was truncated to fit the dead-letter topic (dlq_truncated ${quoted(headers.dlq_truncated)})`;
  const group = headers.dlq_consumer_group;
  if (group === undefined || group.length > MAX_NAME || !group.startsWith(`${agency}.`))
    return `dlq_consumer_group ${quoted(group)} is not a consumer group of ${agency}, whose dead-letter topic holds it`;
  const original = headers.dlq_original_topic;
  if (original === undefined || original.length > MAX_NAME || !topics.events.includes(original))
    return `dlq_original_topic ${quoted(original)} is not an exchange topic (${topics.events.join(', ')})`;
  const partition = headers.dlq_original_partition ?? '';
  const offset = headers.dlq_original_offset ?? '';
  if (partition.length > 10 || !PARTITION.test(partition) || offset.length > 19 || !OFFSET.test(offset))
    return 'dlq_original_partition and dlq_original_offset must be numbers';
  return undefined;
}

/** What a repeated copy of a dead letter shares with the first: its agency and `dlq_id`. */
export function copyKey(letter: DeadLetter): string | undefined {
  const dlqId = dlqIdOf(letter);
  return dlqId === undefined ? undefined : `${letter.agency} ${dlqId}`;
}

/** Dead letter ids and copy keys in the redrive log: either one redriven means "done". */
export function redrivenKeys(records: readonly RedriveRecord[]): Set<string> {
  return new Set(records.flatMap((r) => (r.copyOf ? [r.deadLetter, r.copyOf] : [r.deadLetter])));
}

/** The redrive log: one NDJSON line per republished dead letter, so a second redrive is refused. */
export function readRedriveLog(file: string): RedriveRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RedriveRecord);
}

export function appendRedriveLog(file: string, record: RedriveRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** The original message's headers: the dead-letter context removed, a note of the redrive added. */
export function redriveHeaders(letter: DeadLetter, at: string): Record<string, string> {
  const headers = Object.fromEntries(
    Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlq_')),
  );
  return { ...headers, passport_redriven_from: deadLetterId(letter), passport_redriven_at: at };
}

/** Republishes one checked dead letter and records it, so it is never redriven twice. */
export async function republish(context: ConsoleContext, letter: DeadLetter): Promise<RedriveRecord> {
  const topic = letter.headers.dlq_original_topic as string;
  const at = new Date().toISOString();
  const producer = await context.connectedProducer();
  await producer.send({
    topic,
    acks: -1,
    messages: [{ key: letter.key, value: letter.value, headers: redriveHeaders(letter, at) }],
  });
  const copyOf = copyKey(letter);
  const record = {
    deadLetter: deadLetterId(letter),
    ...(copyOf ? { copyOf } : {}),
    topic,
    partition: Number(letter.headers.dlq_original_partition),
    offset: letter.headers.dlq_original_offset ?? '',
    redrivenAt: at,
  };
  appendRedriveLog(context.config.redriveLog, record);
  context.progress(`redriven ${record.deadLetter} → ${topic}`);
  return record;
}
