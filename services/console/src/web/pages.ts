import { eventToJson } from '@passport/events';
import { kpisFromTopics } from '@passport/kpis';
import { decodeMessage, readRange, resolveSpans, type DecodedMessage } from '@passport/streams';
import { loadAgencies } from '@passport/config';
import { groupRows } from '../commands/groups';
import { topicRows } from '../commands/topics';
import { traceStory } from '../commands/trace';
import type { ConsoleContext } from '../context';
import { deadLetterId, formatCursor, parseCursor, readDeadLetterPage } from '../dead-letters';
import { repeatsIn } from '../dead-letter-repeats';
import { copyKey, readRedriveLog, redrivenKeys, redriveRefusal } from '../redrive';
import { resolveTopic } from '../resolve-topic';
import { barChart, escapeHtml, htmlTable, page } from './html';

export async function topicsPage(context: ConsoleContext): Promise<string> {
  const topics = await topicRows(context);
  const groups = await groupRows(context, {});
  return page(
    'Topics & lag',
    `<h2>Topics</h2>${htmlTable(
      ['topic', 'partitions', 'retention (days)', 'messages'],
      topics.map((t) => [t.topic, t.partitions, t.retentionDays ?? 'forever', t.messages]),
    )}
<h2>Agency consumer groups</h2>${htmlTable(
      ['group', 'state', 'topic', 'partition', 'committed', 'high', 'lag'],
      groups.map((g) => [g.group, g.state, g.topic, g.partition, g.committed, g.high, g.lag]),
    )}`,
  );
}

function messageRows(messages: DecodedMessage[]): string {
  return htmlTable(
    ['where', 'time', 'type', 'from', 'request', 'payload / error'],
    messages.map((m) => [
      `${m.topic}/${m.partition}@${m.offset}`,
      (m.event?.occurredAt ?? new Date(Number(m.timestamp))).toISOString(),
      m.event?.type ?? m.error?.code,
      m.event?.source,
      m.event?.requestId ?? m.key,
      m.event ? eventToJson(m.event.payload).slice(0, 300) : m.error?.message,
    ]),
  );
}

/** The last messages of a topic; the page reloads itself every few seconds, which is the "live" part. */
export async function tailPage(context: ConsoleContext, typed: string | null): Promise<string> {
  const topic = resolveTopic(context.topics, typed ?? 'requests');
  const admin = await context.connectedAdmin();
  const spans = (await resolveSpans(admin, topic)).map((s) => ({
    ...s,
    start: s.end - 10n > s.start ? s.end - 10n : s.start,
  }));
  const codec = await context.eventCodec();
  const messages: DecodedMessage[] = [];
  await readRange(
    context.kafka,
    topic,
    spans,
    async (m) => void messages.push(await decodeMessage(codec, context.topics.logical(topic), m)),
    {
      groupPrefix: 'passport-console.web',
    },
  );
  messages.sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
  const deadLetters = context.topics.deadLetters.map((t) => `dlq.${context.topics.agencyOfDeadLetter(t)}`);
  const choices = ['requests', 'replies', 'introductions', 'outcomes', ...deadLetters]
    .map((t) => `<a href="/tail?topic=${escapeHtml(t)}">${escapeHtml(t)}</a>`)
    .join(' · ');
  return page('Live tail', `<p>${choices}</p><h2>${escapeHtml(topic)}</h2>${messageRows(messages)}`, {
    refreshSeconds: 5,
  });
}

export async function tracePage(context: ConsoleContext, requestId: string | null): Promise<string> {
  const form = `<form method="get" action="/trace"><label>requestId <input name="request" size="40" value="${escapeHtml(requestId ?? '')}"></label> <button>Trace</button></form>`;
  if (!requestId) return page('Trace', form);
  const story = /^[0-9a-f-]{36}$/i.test(requestId) ? await traceStory(context, requestId) : [];
  return page(
    'Trace',
    `${form}<h2>${story.length} events of ${escapeHtml(requestId)}</h2>${messageRows(story)}`,
  );
}

const DEAD_LETTERS_PER_PAGE = 50;

/** A page of every agency's dead letters, oldest first; `from` is the cursor of the previous page. */
export async function deadLettersPage(context: ConsoleContext, from: string | null): Promise<string> {
  const redriven = redrivenKeys(readRedriveLog(context.config.redriveLog));
  const agencies = context.topics.deadLetters.map((t) => context.topics.agencyOfDeadLetter(t) ?? '');
  const found = await readDeadLetterPage(context, {
    agencies,
    limit: DEAD_LETTERS_PER_PAGE,
    from: from === null ? undefined : parseCursor(context, from),
  });
  const next = found.next
    ? `<p><a href="/dlq?from=${encodeURIComponent(formatCursor(context, found.next))}">Next page</a></p>`
    : '<p>End of the dead letters.</p>';
  const repeats = repeatsIn(found.letters, deadLetterId);
  const redriveState = (m: (typeof found.letters)[number]) => {
    const first = repeats.get(deadLetterId(m));
    if (first !== undefined) return `repeat of ${first}`;
    if (redriven.has(deadLetterId(m)) || redriven.has(copyKey(m) ?? '')) return 'done';
    return redriveRefusal(context.topics, m) ?? 'possible';
  };
  return page(
    'Dead letters',
    htmlTable(
      ['id', 'failed at', 'code', 'message', 'path', 'from', 'group', 'redrive'],
      found.letters.map((m) => [
        deadLetterId(m),
        m.headers.dlq_failed_at,
        m.headers.dlq_error_code,
        m.headers.dlq_error_message,
        m.headers.dlq_error_path,
        `${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}@${m.headers.dlq_original_offset}`,
        m.headers.dlq_consumer_group,
        redriveState(m),
      ]),
    ) +
      next +
      '<p>Redrive with <code>passport dlq redrive &lt;id&gt;</code>: the console is read-only.</p>',
  );
}

export async function kpisPage(context: ConsoleContext): Promise<string> {
  const kpis = await kpisFromTopics(context.kafka, await context.eventCodec(), context.topics, {
    agencies: loadAgencies().map((a) => a.id),
  });
  const f = kpis.overall.funnel;
  const regions = Object.entries(kpis.regions);
  return page(
    'KPIs',
    [
      barChart('funnel', 'Funnel: request → agreement', [
        ['requested', f.requested],
        ['with candidates', f.withCandidates],
        ['introduction requested', f.introductionRequested],
        ['introduction accepted', f.introductionAccepted],
        ['meeting held', f.meetingHeld],
        ['agreement signed', f.agreementSigned],
      ]),
      barChart(
        'regions-sent',
        'Requests sent per region',
        regions.map(([id, k]) => [id, k.requestsSent]),
      ),
      barChart(
        'regions-received',
        'Requests received per region',
        regions.map(([id, k]) => [id, k.requestsReceived]),
      ),
      barChart(
        'regions-agreements',
        'Agreements per region',
        regions.map(([id, k]) => [id, k.agreements]),
      ),
      barChart(
        'months',
        'Requests per month',
        kpis.months.map((m) => [m.month, m.requests]),
      ),
      barChart(
        'months-agreements',
        'Agreements per month',
        kpis.months.map((m) => [m.month, m.agreements]),
      ),
      `<p>Response rate before deadline (overall): ${escapeHtml(kpis.overall.responseRateBeforeDeadline)} · time to first candidate, median ${escapeHtml(kpis.overall.timeToFirstCandidateHours.median)} h, p90 ${escapeHtml(kpis.overall.timeToFirstCandidateHours.p90)} h</p>`,
    ].join('\n'),
  );
}
