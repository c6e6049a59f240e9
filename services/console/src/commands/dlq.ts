import { RedriveRefusedError, UsageError } from '@passport/errors';
import { parsePosition } from '@passport/streams';
import type { Command, Values } from '../command';
import type { ConsoleContext } from '../context';
import {
  deadLetterId,
  forEachDeadLetter,
  formatCursor,
  parseCursor,
  readDeadLetterPage,
  readDeadLettersById,
  type Cursor,
  type DeadLetter,
} from '../dead-letters';
import { repeatsIn } from '../dead-letter-repeats';
import {
  copyKey,
  readRedriveLog,
  redrivenKeys,
  redriveRefusal,
  republish,
  type RedriveRecord,
} from '../redrive';
import { table } from '../table';
import { visibleText } from '../visible-text';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1_000;

function chosenAgencies(context: ConsoleContext, values: Values): string[] {
  const all = context.topics.deadLetters.map((topic) => context.topics.agencyOfDeadLetter(topic) ?? '');
  if (values.agency === undefined) return all;
  if (typeof values.agency !== 'string' || !all.includes(values.agency))
    throw new UsageError(`--agency must be one of ${all.join(', ')}`);
  return [values.agency];
}

function pageStart(context: ConsoleContext, from: Values[string]): Cursor | Date | undefined {
  if (typeof from !== 'string') return undefined;
  const cursor = parseCursor(context, from);
  if (cursor) return cursor;
  const position = parsePosition(from);
  if (position && 'time' in position) return position.time;
  throw new UsageError(
    `--from must be a cursor printed by dlq list (agency/partition:offset,…) or an ISO time`,
  );
}

async function list(context: ConsoleContext, values: Values): Promise<void> {
  const limitText = typeof values.limit === 'string' ? values.limit : String(DEFAULT_LIMIT);
  const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : 0;
  if (limit < 1 || limit > MAX_LIMIT)
    throw new UsageError(`--limit must be 1 to ${MAX_LIMIT}, got ${limitText}`);
  const agencies = chosenAgencies(context, values);
  const page = await readDeadLetterPage(context, { agencies, limit, from: pageStart(context, values.from) });
  const redriven = redrivenKeys(readRedriveLog(context.config.redriveLog));
  const repeats = repeatsIn(page.letters, deadLetterId);
  const rows = page.letters.map((m) => ({
    id: deadLetterId(m),
    failedAt: m.headers.dlq_failed_at ?? null,
    code: m.headers.dlq_error_code ?? null,
    path: m.headers.dlq_error_path ?? null,
    origin: `${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}@${m.headers.dlq_original_offset}`,
    group: m.headers.dlq_consumer_group ?? null,
    truncated: m.headers.dlq_truncated ?? null,
    redriven: redriven.has(deadLetterId(m)) || redriven.has(copyKey(m) ?? ''),
    // A copy the service sent again (same dlq_id) of a dead letter listed before it on this page.
    repeatOf: repeats.get(deadLetterId(m)) ?? null,
  }));
  const next = page.next && formatCursor(context, page.next);
  const agencyOption = values.agency ? ` --agency ${values.agency}` : '';
  const nextCommand = next && `passport dlq list${agencyOption} --limit ${limit} --from ${next}`;
  context.print({ deadLetters: rows, next: next ?? null }, () =>
    [
      rows.length === 0
        ? 'no dead letters'
        : table(
            ['id', 'failed at', 'code', 'path', 'from', 'group', 'truncated', 'redriven', 'repeat of'],
            rows.map((r) => [
              r.id,
              r.failedAt,
              r.code,
              r.path,
              r.origin,
              r.group,
              r.truncated,
              r.redriven ? 'yes' : 'no',
              r.repeatOf,
            ]),
          ),
      nextCommand ? `next page: ${nextCommand}` : 'end of the dead letters',
    ].join('\n'),
  );
}

async function show(context: ConsoleContext, id: string): Promise<void> {
  const [letter] = await readDeadLettersById(context, [id]);
  if (!letter) return;
  const refusal = redriveRefusal(context.topics, letter);
  const shown = {
    id,
    key: letter.key,
    headers: letter.headers,
    value: letter.value?.toString('base64') ?? null,
    redrivable: refusal === undefined,
    refusal: refusal ?? null,
  };
  context.print(shown, () =>
    [
      `dead letter ${id} (key ${visibleText(letter.key)})`,
      ...Object.entries(letter.headers).map(([k, v]) => `  ${visibleText(k)}: ${visibleText(v)}`),
      `  value (base64): ${shown.value}`,
      refusal ? `  not redrivable: ${visibleText(refusal)}` : '  redrivable',
    ].join('\n'),
  );
}

/** Named dead letters: all of them pass the checks, or none is republished. */
async function redriveNamed(context: ConsoleContext, ids: string[], done: Set<string>) {
  const again = ids.filter((id) => done.has(id));
  if (again.length)
    throw new UsageError(
      `dead letter ${again.join(', ')} was already redriven (see ${context.config.redriveLog})`,
    );
  const letters = await readDeadLettersById(context, ids);
  refuseCopies(context, letters, done);
  const refusals = letters.flatMap((letter) => {
    const reason = redriveRefusal(context.topics, letter);
    return reason ? [{ id: deadLetterId(letter), reason }] : [];
  });
  if (refusals.length) throw new RedriveRefusedError(refusals);
  const records = [];
  for (const letter of letters) records.push(await republish(context, letter));
  return { records, refusals, copiesSkipped: 0 };
}

/**
 * A copy of a dead letter the service sent twice (same `dlq_id`) is not republished a second time:
 * consumers would drop a second copy of an event they applied by its event id, but one still refused
 * would only be parked again.
 */
function refuseCopies(context: ConsoleContext, letters: readonly DeadLetter[], done: Set<string>) {
  const named = new Set<string>();
  for (const letter of letters) {
    const key = copyKey(letter);
    if (key === undefined) continue;
    if (done.has(key) || named.has(key))
      throw new UsageError(
        `dead letter ${deadLetterId(letter)} is a copy (same dlq_id) of one already redriven or named (see dlq list, ${context.config.redriveLog})`,
      );
    named.add(key);
  }
}

/**
 * Every dead letter not yet redriven: the trustworthy ones are republished, the others named after.
 * Of the copies of one dead letter (same `dlq_id`), only the first is republished; the rest are skipped.
 */
async function redriveAll(context: ConsoleContext, agencies: readonly string[], done: Set<string>) {
  const records: RedriveRecord[] = [];
  const refusals: Array<{ id: string; reason: string }> = [];
  let copiesSkipped = 0;
  await forEachDeadLetter(context, agencies, async (letter) => {
    const key = copyKey(letter);
    if (done.has(deadLetterId(letter))) return;
    if (key !== undefined && done.has(key)) {
      copiesSkipped += 1;
      return;
    }
    const reason = redriveRefusal(context.topics, letter);
    if (reason) refusals.push({ id: deadLetterId(letter), reason });
    else {
      records.push(await republish(context, letter));
      if (key !== undefined) done.add(key);
    }
  });
  return { records, refusals, copiesSkipped };
}

async function redrive(context: ConsoleContext, ids: string[], values: Values): Promise<void> {
  const done = redrivenKeys(readRedriveLog(context.config.redriveLog));
  const {
    records,
    refusals,
    copiesSkipped = 0,
  } = values.all
    ? await redriveAll(context, chosenAgencies(context, values), done)
    : await redriveNamed(context, ids, done);
  const skipped = copiesSkipped > 0 ? `; ${copiesSkipped} repeated copy(ies) skipped` : '';
  context.print(
    records,
    () => `${records.length} dead letter(s) republished; recorded in ${context.config.redriveLog}${skipped}`,
  );
  if (refusals.length) throw new RedriveRefusedError(refusals);
}

export const dlqCommand: Command = {
  name: 'dlq',
  summary: 'dead letters of every agency: list a page, show one, redrive to the exchange topic it came from',
  usage: [
    'passport dlq list [--agency <id>] [--limit <n>] [--from <cursor|ISO time>] [--json]',
    'passport dlq show <agency/partition:offset> [--json]',
    'passport dlq redrive <agency/partition:offset>... | --all [--agency <id>] [--json]',
    '  list shows at most --limit (default 50) dead letters, oldest first, and the command for the next page',
    '  redrive republishes the original bytes and headers to dlq_original_topic, adds',
    '  passport_redriven_from/at headers and appends a line to the redrive log (PASSPORT_REDRIVE_LOG).',
    "  It refuses (PASSPORT_REDRIVE_REFUSED) a dead letter whose group is not its agency's, whose",
    '  original topic is not an exchange topic, or that was truncated; named ids: all or none.',
    '  A dead letter the service sent twice (same dlq_id) is listed with "repeat of" the first copy',
    '  shown on the page, and redriven once: --all skips further copies, a named copy is refused.',
  ].join('\n'),
  options: {
    all: { type: 'boolean' },
    agency: { type: 'string' },
    limit: { type: 'string' },
    from: { type: 'string' },
  },
  positionals: ['list|show|redrive'],
  async run(context, values, positionals) {
    const [action, ...ids] = positionals;
    if (action === 'list') return list(context, values);
    if (action === 'show') {
      if (!ids[0])
        throw new UsageError('dlq show needs a dead letter id (agency/partition:offset, see dlq list)');
      return show(context, ids[0]);
    }
    if (action === 'redrive') {
      if (ids.length === 0 && !values.all) throw new UsageError('dlq redrive needs dead letter ids or --all');
      if (ids.length > 0 && values.all) throw new UsageError('dlq redrive takes ids or --all, not both');
      return redrive(context, ids, values);
    }
    throw new UsageError(`unknown dlq action ${action}; use list, show or redrive`);
  },
};
