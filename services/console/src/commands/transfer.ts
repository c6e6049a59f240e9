import { UsageError } from '@passport/errors';
import { parsePosition, type Position } from '@passport/streams';
import { readFixtures, recordTopic, replayToBroker } from '@passport/testing';
import type { Command, Values } from '../command';
import { resolveTopic } from '../resolve-topic';

function position(values: Values, name: string): Position | undefined {
  const text = values[name];
  if (typeof text !== 'string') return undefined;
  const parsed = parsePosition(text);
  if (!parsed) throw new UsageError(`--${name} must be an offset or an ISO 8601 time, got ${text}`);
  return parsed;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a range of an event topic to NDJSON (the fixture format)',
  usage: [
    'passport export <topic> --out <file> [--from <offset|time>] [--to <offset|time>] [--json]',
    '  --from  first offset (on every partition) or first time, inclusive; default: the beginning',
    '  --to    last offset, inclusive, or a time, exclusive; default: the end as of now',
  ].join('\n'),
  options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
  positionals: ['topic'],
  async run(context, values, positionals) {
    const topic = resolveTopic(context.topics, positionals[0]);
    const logical = context.topics.logical(topic);
    if (!logical) throw new UsageError(`${topic} carries no events; export works on event topics`);
    if (typeof values.out !== 'string') throw new UsageError('--out <file> is required');
    context.progress(`exporting ${topic}…`);
    const { records, skipped } = await recordTopic({
      kafka: context.kafka,
      codec: await context.eventCodec(),
      topic,
      logical,
      from: position(values, 'from'),
      to: position(values, 'to'),
      file: values.out,
    });
    const result = { file: values.out, events: records.length, skipped };
    context.print(
      result,
      () =>
        `${records.length} events written to ${values.out}${skipped ? ` (${skipped} undecodable skipped)` : ''}`,
    );
  },
};

export const importCommand: Command = {
  name: 'import',
  summary: 'publish an NDJSON export, re-encoded through the registry',
  usage: 'passport import <file> [--json]\n  every line is validated first; nothing is sent if one is wrong',
  options: {},
  positionals: ['file'],
  async run(context, _values, positionals) {
    const records = readFixtures(positionals[0] as string);
    context.progress(`importing ${records.length} events…`);
    const sent = await replayToBroker(
      await context.connectedProducer(),
      await context.eventCodec(),
      records,
      context.topics,
    );
    context.print({ file: positionals[0], events: sent }, () => `${sent} events published`);
  },
};
