import { NotFoundError, UsageError } from '@passport/errors';
import { decodeMessage, readRange, resolveSpans, type DecodedMessage } from '@passport/streams';
import type { Command } from '../command';
import type { ConsoleContext } from '../context';
import { messageJson, messageText } from '../messages';
import { verdictOf } from '../verdict';

/** Every message keyed by `requestId` on every event topic, in the order the events happened. */
export async function traceStory(context: ConsoleContext, requestId: string): Promise<DecodedMessage[]> {
  const admin = await context.connectedAdmin();
  const codec = await context.eventCodec();
  const story: DecodedMessage[] = [];
  for (const topic of context.topics.events) {
    const spans = await resolveSpans(admin, topic);
    let read = 0;
    await readRange(
      context.kafka,
      topic,
      spans,
      async (message) => {
        read += 1;
        // Every event is keyed by its requestId (DESIGN.md §2): the key alone picks the request's messages.
        if (message.key !== requestId) return;
        story.push(await decodeMessage(codec, context.topics.logical(topic), message));
      },
      { groupPrefix: 'passport-console.trace' },
    );
    context.progress(`read ${read} messages of ${topic}`);
  }
  const time = (m: DecodedMessage) => m.event?.occurredAt.getTime() ?? Number(m.timestamp);
  story.sort((a, b) => time(a) - time(b));
  if (story.length === 0) throw new NotFoundError(`an event of request ${requestId}`);
  return story;
}

export const traceCommand: Command = {
  name: 'trace',
  summary: 'the whole story of one request across all topics, in time order, with signer and verdict',
  usage: 'passport trace <requestId> [--json]',
  options: {},
  positionals: ['requestId'],
  async run(context, _values, positionals) {
    const requestId = positionals[0] as string;
    if (!/^[0-9a-f-]{36}$/i.test(requestId)) throw new UsageError(`${requestId} is not a requestId (a UUID)`);
    const trustList = await context.trustList();
    const story = (await traceStory(context, requestId)).map((message) => ({
      ...message,
      signature: verdictOf(message, trustList, { topics: context.topics }),
    }));
    context.io.out(context.json ? story.map(messageJson).join('\n') : story.map(messageText).join('\n'));
  },
};
