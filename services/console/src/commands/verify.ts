import { UsageError, VerificationFailedError } from '@passport/errors';
import { readRange, resolveSpans, type PartitionSpan, type RangeMessage } from '@passport/streams';
import type { Command, Values } from '../command';
import { positionOption } from '../command-positions';
import type { ConsoleContext } from '../context';
import { resolveTopic } from '../resolve-topic';
import { verdictOf, type Verdict } from '../verdict';

/** Progress on stderr once per this many records, so a long audit shows it is moving. */
const PROGRESS_EVERY = 1_000;

interface Failure {
  topic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  type: string | null;
  signer: string | null;
  keyId: string | null;
  code: string;
  detail: string | null;
}

interface Summary {
  topic: string;
  checked: number;
  ok: number;
  failed: Record<string, number>;
}

function partitionOption(values: Values, spans: PartitionSpan[]): PartitionSpan[] {
  const text = values.partition;
  if (typeof text !== 'string') return spans;
  const chosen = /^\d{1,5}$/.test(text) ? spans.filter((s) => s.partition === Number(text)) : [];
  if (chosen.length === 0)
    throw new UsageError(
      `--partition must be one of ${spans.map((s) => s.partition).join(', ')}, got ${text}`,
    );
  return chosen;
}

function atOption(values: Values): Date | undefined {
  const text = values.at;
  if (typeof text !== 'string') return undefined;
  const at = text === 'now' ? new Date() : new Date(text);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at must be now or an ISO 8601 time, got ${text}`);
  return at;
}

/** Header text comes from the sender: a report line shows at most this much of it. */
const MAX_SHOWN_HEADER = 200;

function shortened(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > MAX_SHOWN_HEADER ? `${text.slice(0, MAX_SHOWN_HEADER)}…` : text;
}

function failureOf(message: RangeMessage, verdict: Verdict): Failure {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    eventId: shortened(message.headers.ce_id),
    type: shortened(message.headers.ce_type),
    signer: verdict.signer,
    keyId: verdict.keyId,
    code: verdict.verdict,
    detail: verdict.detail,
  };
}

function failureText(f: Failure): string {
  return `${f.topic}/${f.partition}@${f.offset} ${f.eventId ?? '(no ce_id)'} ${f.type ?? '(no ce_type)'} ${f.code}: ${f.detail ?? ''}`;
}

function summaryText(s: Summary): string {
  const codes = Object.entries(s.failed)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `${code} ${count}`);
  const failed = s.checked - s.ok;
  return `${s.topic}: checked ${s.checked}, ok ${s.ok}, failed ${failed}${codes.length ? ` (${codes.join(', ')})` : ''}`;
}

/** Verifies every record of the spans, printing each failure as it is found; returns the counts. */
async function verifySpans(context: ConsoleContext, topic: string, spans: PartitionSpan[], at?: Date) {
  const trustList = await context.trustList();
  const total = spans.reduce((sum, s) => sum + Number(s.end - s.start), 0);
  const summary: Summary = { topic, checked: 0, ok: 0, failed: {} };
  context.progress(`verifying ${total} records of ${topic}…`);
  await readRange(
    context.kafka,
    topic,
    spans,
    (message) => {
      const verdict = verdictOf(message, trustList, { topics: context.topics, at });
      summary.checked += 1;
      if (verdict.verdict === 'ok') summary.ok += 1;
      else {
        summary.failed[verdict.verdict] = (summary.failed[verdict.verdict] ?? 0) + 1;
        const failure = failureOf(message, verdict);
        context.io.out(context.json ? JSON.stringify(failure) : failureText(failure));
      }
      if (summary.checked % PROGRESS_EVERY === 0)
        context.progress(`verified ${summary.checked} of ${total}…`);
    },
    { groupPrefix: 'passport-console.verify' },
  );
  return summary;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the signature of every record in a range; lists failures, exits 1 on any',
  usage: [
    'passport verify <topic>|all [--from <offset|time>] [--to <offset|time>] [--partition <n>] [--at now|<time>] [--json]',
    '  all           every event topic of the exchange in turn, one summary each',
    '  --from, --to  as for export: an offset (--to inclusive) or an ISO time (--to exclusive); default all',
    "  --at          verify at this time instead of each record's broker timestamp (now: as a consumer today)",
    'Against TRUST_LIST_FILE. Prints every failure (topic/partition@offset, event id, type, code, detail)',
    'and a summary; with --json one JSON line per failure, then {"summary": …}. Exit 1 if any failed.',
  ].join('\n'),
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    partition: { type: 'string' },
    at: { type: 'string' },
  },
  positionals: ['topic'],
  async run(context, values, positionals) {
    const topics =
      positionals[0] === 'all' ? context.topics.events : [resolveTopic(context.topics, positionals[0])];
    const from = positionOption(values, 'from');
    const to = positionOption(values, 'to');
    const at = atOption(values);
    await context.trustList();
    const admin = await context.connectedAdmin();
    let checked = 0;
    let failed = 0;
    for (const topic of topics) {
      const spans = partitionOption(values, await resolveSpans(admin, topic, from, to));
      const summary = await verifySpans(context, topic, spans, at);
      context.io.out(context.json ? JSON.stringify({ summary }) : summaryText(summary));
      checked += summary.checked;
      failed += summary.checked - summary.ok;
    }
    if (failed > 0) throw new VerificationFailedError(failed, checked);
  },
};
