import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readRange, resolveSpans, type RangeMessage } from '@passport/streams';
import type { ConsoleContext } from './context';

export interface RedriveRecord {
  deadLetter: string;
  topic: string;
  partition: number;
  offset: string;
  redrivenAt: string;
}

/** `partition:offset` on the dead-letter topic: how admins name one dead letter. */
export const deadLetterId = (m: { partition: number; offset: string }) => `${m.partition}:${m.offset}`;

export async function readDeadLetters(context: ConsoleContext): Promise<RangeMessage[]> {
  const admin = await context.connectedAdmin();
  const topic = context.topics.deadLetter;
  const letters: RangeMessage[] = [];
  await readRange(context.kafka, topic, await resolveSpans(admin, topic), (m) => void letters.push(m), {
    groupPrefix: 'passport-console.dlq',
  });
  return letters.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
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
export function redriveHeaders(letter: RangeMessage, at: string): Record<string, string> {
  const headers = Object.fromEntries(
    Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlq_')),
  );
  return { ...headers, passport_redriven_from: deadLetterId(letter), passport_redriven_at: at };
}
