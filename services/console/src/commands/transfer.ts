import { ImportRefusedError, UsageError } from '@passport/errors';
import { toKafkaMessage, type EventCodec } from '@passport/events';
import { decodeMessage, readRange, resolveSpans } from '@passport/streams';
import { writeFixtures, type FixtureRecord } from '@passport/testing';
import type { Message } from 'kafkajs';
import type { Command } from '../command';
import { positionOption } from '../command-positions';
import type { ConsoleContext } from '../context';
import { planLine, readImportFile, type PlannedLine } from '../import-plan';
import { originalOf, type OriginalRecord } from '../original-record';
import { resolveTopic } from '../resolve-topic';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a range of an event topic to NDJSON (the fixture format, plus the original bytes)',
  usage: [
    'passport export <topic> --out <file> [--from <offset|time>] [--to <offset|time>] [--json]',
    '  --from  first offset (on every partition) or first time, inclusive; default: the beginning',
    '  --to    last offset, inclusive, or a time, exclusive; default: the end as of now',
    "Each line also keeps the record's original key, value and headers (base64, signature included),",
    'which passport import publishes unchanged.',
  ].join('\n'),
  options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
  positionals: ['topic'],
  async run(context, values, positionals) {
    const topic = resolveTopic(context.topics, positionals[0]);
    const logical = context.topics.logical(topic);
    if (!logical) throw new UsageError(`${topic} carries no events; export works on event topics`);
    if (typeof values.out !== 'string') throw new UsageError('--out <file> is required');
    const from = positionOption(values, 'from');
    const to = positionOption(values, 'to');
    context.progress(`exporting ${topic}…`);
    const spans = await resolveSpans(await context.connectedAdmin(), topic, from, to);
    const codec = await context.eventCodec();
    const records: (FixtureRecord & { original: OriginalRecord })[] = [];
    let skipped = 0;
    await readRange(
      context.kafka,
      topic,
      spans,
      async (message) => {
        const decoded = await decodeMessage(codec, logical, message);
        if (!decoded.event) {
          skipped += 1;
          return;
        }
        const { partition, offset, timestamp, key, headers } = message;
        const original = originalOf(message);
        records.push({
          topic: logical,
          partition,
          offset,
          timestamp,
          key,
          headers,
          event: decoded.event,
          original,
        });
      },
      { groupPrefix: 'passport-console.export' },
    );
    writeFixtures(values.out, records);
    const result = { file: values.out, events: records.length, skipped };
    context.print(
      result,
      () =>
        `${records.length} events written to ${values.out}${skipped ? ` (${skipped} undecodable skipped)` : ''}`,
    );
  },
};

/** Refused lines re-encoded through the registry, as fixtures are replayed: no signature. */
function unsignedMessage(codec: EventCodec, line: PlannedLine): Message {
  return toKafkaMessage(codec, line.record.event, line.record.headers.traceparent).message;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'publish an export unchanged, signatures included; refuses records that would not verify',
  usage: [
    'passport import <file> [--allow-unsigned] [--json]',
    "  Every line is validated, then each record's original bytes are checked as the agency services",
    '  will: its signature must verify now against TRUST_LIST_FILE for the topic it goes to (a signature',
    '  binds its topic: a copy onto another PASSPORT_TOPIC_SUFFIX cannot keep it). If any line fails,',
    '  nothing is published and the refused lines are named.',
    '  --allow-unsigned  publish refused lines re-encoded through the registry, without a signature',
    '                    (services park them); only with PASSPORT_TOPIC_SUFFIX, for test replays',
  ].join('\n'),
  options: { 'allow-unsigned': { type: 'boolean' } },
  positionals: ['file'],
  async run(context, values, positionals) {
    const allowUnsigned = Boolean(values['allow-unsigned']);
    if (allowUnsigned && context.config.topicSuffix === '')
      throw new UsageError(
        '--allow-unsigned needs PASSPORT_TOPIC_SUFFIX (a scratch copy of the exchange): on the exchange itself every agency service parks unsigned records',
      );
    const file = positionals[0] as string;
    const lines = readImportFile(file);
    const codec = await context.eventCodec();
    const deps = { codec, topics: context.topics, trustList: await context.trustList(), now: new Date() };
    context.progress(`checking ${lines.length} records…`);
    const planned: PlannedLine[] = [];
    for (const line of lines) planned.push(await planLine(line, deps));
    const refused = planned.filter((line) => line.refusal !== undefined);
    if (refused.length > 0 && !allowUnsigned)
      throw new ImportRefusedError(
        refused.map((line) => ({ line: line.line, reason: line.refusal as string })),
        planned.length,
      );
    for (const line of refused.slice(0, 10))
      context.progress(`line ${line.line} re-encoded without a signature: ${line.refusal}`);
    await publish(context, codec, planned);
    const result = {
      file,
      events: planned.length,
      signed: planned.length - refused.length,
      unsigned: refused.length,
    };
    context.print(
      result,
      () =>
        `${result.events} events published: ${result.signed} unchanged with their signature` +
        (refused.length ? `, ${refused.length} re-encoded without a signature (--allow-unsigned)` : ''),
    );
  },
};

/** One batch per topic, in time order: original bytes where they passed, re-encoded lines otherwise. */
async function publish(context: ConsoleContext, codec: EventCodec, planned: PlannedLine[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const line of inTimeOrder(planned)) {
    const messages = byTopic.get(line.topic) ?? byTopic.set(line.topic, []).get(line.topic);
    messages?.push(line.bytes ?? unsignedMessage(codec, line));
  }
  if (byTopic.size === 0) return;
  const producer = await context.connectedProducer();
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}

/** By broker timestamp, then as in the file: a request's events keep their order on its partition. */
function inTimeOrder(lines: PlannedLine[]): PlannedLine[] {
  return lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => Number(a.line.record.timestamp) - Number(b.line.record.timestamp) || a.index - b.index)
    .map(({ line }) => line);
}
