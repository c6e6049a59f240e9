import { decodeMessage, parsePosition, readRange, resolveSpans } from '@passport/streams';
import { UsageError } from '@passport/errors';
import type { Command, Values } from '../command';
import { matches, messageJson, messageText, type MessageFilter } from '../messages';
import { resolveTopic } from '../resolve-topic';
import { verdictOf } from '../verdict';

function filterOf(values: Values): MessageFilter {
  const pick = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return { type: pick('type'), agency: pick('agency'), request: pick('request'), key: pick('key') };
}

export const tailCommand: Command = {
  name: 'tail',
  summary: 'decoded messages of a topic with their headers, signer and verdict; filters; --follow',
  usage: [
    'passport tail <topic> [--last <n>] [--from <offset|time>] [--type <EventType>] [--agency <id>]',
    '                      [--request <requestId>] [--key <key>] [--follow] [--json]',
    '  <topic>    requests, replies, introductions, outcomes, reminders, dlq.<agency>, or a full topic name',
    '  --last     start <n> messages before the end of each partition (default 20)',
    '  --follow   keep printing new messages until interrupted (Ctrl-C)',
    'Each message shows its signer (agency, key id) and verdict (ok or the refusal code), checked',
    "against TRUST_LIST_FILE at the message's broker timestamp.",
  ].join('\n'),
  options: {
    last: { type: 'string' },
    from: { type: 'string' },
    type: { type: 'string' },
    agency: { type: 'string' },
    request: { type: 'string' },
    key: { type: 'string' },
    follow: { type: 'boolean' },
  },
  positionals: ['topic'],
  async run(context, values, positionals) {
    const topic = resolveTopic(context.topics, positionals[0]);
    const from = typeof values.from === 'string' ? parsePosition(values.from) : undefined;
    if (values.from !== undefined && !from)
      throw new UsageError(`--from must be an offset or an ISO 8601 time, got ${values.from}`);
    const last = BigInt(typeof values.last === 'string' && /^\d+$/.test(values.last) ? values.last : '20');
    const admin = await context.connectedAdmin();
    const spans = (await resolveSpans(admin, topic, from)).map((span) =>
      from ? span : { ...span, start: span.end - last > span.start ? span.end - last : span.start },
    );
    const codec = await context.eventCodec();
    const trustList = await context.trustList();
    const filter = filterOf(values);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    context.io.signal?.addEventListener('abort', stop, { once: true });
    try {
      await readRange(
        context.kafka,
        topic,
        spans,
        async (message) => {
          const decoded = await decodeMessage(codec, context.topics.logical(topic), message);
          if (!matches(decoded, filter)) return;
          const shown = { ...decoded, signature: verdictOf(message, trustList, { topics: context.topics }) };
          context.io.out(context.json ? messageJson(shown) : messageText(shown));
        },
        { follow: Boolean(values.follow), signal: abort.signal, groupPrefix: 'passport-console.tail' },
      );
    } finally {
      process.off('SIGINT', stop);
    }
  },
};
