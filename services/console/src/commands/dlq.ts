import { NotFoundError, UsageError } from '@passport/errors';
import type { Command } from '../command';
import type { ConsoleContext } from '../context';
import {
  appendRedriveLog,
  deadLetterId,
  readDeadLetters,
  readRedriveLog,
  redriveHeaders,
} from '../dead-letters';
import { table } from '../table';

async function list(context: ConsoleContext): Promise<void> {
  const redriven = new Set(readRedriveLog(context.config.redriveLog).map((r) => r.deadLetter));
  const rows = (await readDeadLetters(context)).map((m) => ({
    id: deadLetterId(m),
    failedAt: m.headers.dlq_failed_at ?? null,
    code: m.headers.dlq_error_code ?? null,
    path: m.headers.dlq_error_path ?? null,
    origin: `${m.headers.dlq_original_topic}/${m.headers.dlq_original_partition}@${m.headers.dlq_original_offset}`,
    group: m.headers.dlq_consumer_group ?? null,
    redriven: redriven.has(deadLetterId(m)),
  }));
  context.print(rows, () =>
    rows.length === 0
      ? 'no dead letters'
      : table(
          ['id', 'failed at', 'code', 'path', 'from', 'group', 'redriven'],
          rows.map((r) => [r.id, r.failedAt, r.code, r.path, r.origin, r.group, r.redriven ? 'yes' : 'no']),
        ),
  );
}

async function show(context: ConsoleContext, id: string): Promise<void> {
  const letter = (await readDeadLetters(context)).find((m) => deadLetterId(m) === id);
  if (!letter) throw new NotFoundError(`dead letter ${id}`);
  const shown = {
    id,
    key: letter.key,
    headers: letter.headers,
    value: letter.value?.toString('base64') ?? null,
  };
  context.print(shown, () =>
    [
      `dead letter ${id} (key ${letter.key})`,
      ...Object.entries(letter.headers).map(([k, v]) => `  ${k}: ${v}`),
      `  value (base64): ${shown.value}`,
    ].join('\n'),
  );
}

async function redrive(context: ConsoleContext, ids: string[], all: boolean): Promise<void> {
  const done = new Set(readRedriveLog(context.config.redriveLog).map((r) => r.deadLetter));
  const letters = (await readDeadLetters(context)).filter((m) =>
    all ? !done.has(deadLetterId(m)) : ids.includes(deadLetterId(m)),
  );
  const missing = ids.filter((id) => !letters.some((m) => deadLetterId(m) === id));
  if (missing.length) throw new NotFoundError(`dead letter ${missing.join(', ')}`);
  const again = letters.filter((m) => done.has(deadLetterId(m)));
  if (again.length)
    throw new UsageError(
      `dead letter ${again.map(deadLetterId).join(', ')} was already redriven (see ${context.config.redriveLog})`,
    );
  const producer = await context.connectedProducer();
  const records = [];
  for (const letter of letters) {
    const topic = letter.headers.dlq_original_topic;
    if (!topic) throw new UsageError(`dead letter ${deadLetterId(letter)} has no dlq_original_topic header`);
    const at = new Date().toISOString();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: letter.key, value: letter.value, headers: redriveHeaders(letter, at) }],
    });
    const record = {
      deadLetter: deadLetterId(letter),
      topic,
      partition: Number(letter.headers.dlq_original_partition),
      offset: letter.headers.dlq_original_offset ?? '',
      redrivenAt: at,
    };
    appendRedriveLog(context.config.redriveLog, record);
    records.push(record);
    context.progress(`redriven ${record.deadLetter} → ${topic}`);
  }
  context.print(
    records,
    () => `${records.length} dead letter(s) republished; recorded in ${context.config.redriveLog}`,
  );
}

export const dlqCommand: Command = {
  name: 'dlq',
  summary: 'dead letters: list, show one, redrive to the original topic',
  usage: [
    'passport dlq list [--json]',
    'passport dlq show <partition:offset> [--json]',
    'passport dlq redrive <partition:offset>... | --all [--json]',
    '  redrive republishes the original bytes and headers to dlq_original_topic, adds',
    '  passport_redriven_from/at headers and appends a line to the redrive log (PASSPORT_REDRIVE_LOG)',
  ].join('\n'),
  options: { all: { type: 'boolean' } },
  positionals: ['list|show|redrive'],
  async run(context, values, positionals) {
    const [action, ...ids] = positionals;
    if (action === 'list') return list(context);
    if (action === 'show') {
      if (!ids[0]) throw new UsageError('dlq show needs a dead letter id (partition:offset, see dlq list)');
      return show(context, ids[0]);
    }
    if (action === 'redrive') {
      if (ids.length === 0 && !values.all) throw new UsageError('dlq redrive needs dead letter ids or --all');
      return redrive(context, ids, Boolean(values.all));
    }
    throw new UsageError(`unknown dlq action ${action}; use list, show or redrive`);
  },
};
