import { readFileSync, writeFileSync } from 'node:fs';
import { GroupActiveError, OffsetsRefusedError, UsageError } from '@passport/errors';
import type { Admin } from 'kafkajs';
import type { Command, Values } from '../command';
import { confirmChange } from '../confirm';
import type { ConsoleContext } from '../context';
import {
  SAVED_OFFSETS_FORMAT,
  parseSavedOffsets,
  restoreProblems,
  type Position,
  type SavedOffsets,
  type Watermarks,
} from '../saved-offsets';
import { table } from '../table';

async function committedPositions(admin: Admin, groupId: string, topics: string[]): Promise<Position[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  return committed.flatMap(({ topic, partitions }) =>
    partitions
      .filter((p) => p.offset !== '-1')
      .map((p) => ({ topic, partition: p.partition, offset: p.offset })),
  );
}

/**
 * Every topic the agency's consumer reads: the exchange topics and its own dead-letter topic (read to
 * confirm its dead letters). A topic missing here would keep its current, later offsets on restore.
 */
function consumedTopics(context: ConsoleContext, groupId: string): string[] {
  const agencyId = groupId.split('.')[0] ?? '';
  const deadLetters = context.topics.deadLetters.includes(context.topics.deadLetterOf(agencyId))
    ? [context.topics.deadLetterOf(agencyId)]
    : [];
  return [...context.topics.events, ...deadLetters];
}

/**
 * The group's position on every partition it reads. Where it has committed nothing yet, the position
 * its consumer would start from: the exchange topics from their beginning, the dead-letter topic from
 * its end (services/agency/src/kafka/event-consumer.ts subscribes so). Leaving such a partition out
 * would let a restore keep the later offset committed after the backup and skip what lies between.
 */
async function positionsToSave(context: ConsoleContext, admin: Admin, groupId: string): Promise<Position[]> {
  const topics = consumedTopics(context, groupId);
  const committed = await committedPositions(admin, groupId, topics);
  if (committed.length === 0) return [];
  const positions: Position[] = [];
  for (const topic of topics) {
    const startsAtEnd = context.topics.agencyOfDeadLetter(topic) !== undefined;
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      const own = committed.find((c) => c.topic === topic && c.partition === partition);
      positions.push(own ?? { topic, partition, offset: startsAtEnd ? high : low });
    }
  }
  return positions;
}

async function exportOffsets(context: ConsoleContext, values: Values): Promise<void> {
  const groupId = values.group;
  const out = values.out;
  if (typeof groupId !== 'string') throw new UsageError('--group <groupId> is required');
  if (typeof out !== 'string') throw new UsageError('--out <file> is required');
  const positions = await positionsToSave(context, await context.connectedAdmin(), groupId);
  if (positions.length === 0) throw new UsageError(`group ${groupId} has no committed offsets`);
  const saved: SavedOffsets = {
    format: SAVED_OFFSETS_FORMAT,
    group: groupId,
    savedAt: new Date().toISOString(),
    positions,
  };
  // Positions are not secret, but the file sits with a database backup, which is: owner-only like it.
  writeFileSync(out, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  context.print(
    { file: out, group: groupId, partitions: positions.length },
    () => `${groupId}: ${positions.length} partition offsets saved to ${out}`,
  );
}

async function watermarksByPartition(admin: Admin, topics: Iterable<string>) {
  const marks = new Map<string, Watermarks>();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    for (const { partition, low, high } of offsets) marks.set(`${topic}/${partition}`, { low, high });
  }
  return marks;
}

/** Partitions added to a topic after the backup: everything on them is new to the restored database. */
function partitionsAddedSince(saved: readonly Position[], marks: Map<string, Watermarks>): Position[] {
  const known = new Set(saved.map((p) => `${p.topic}/${p.partition}`));
  return [...marks]
    .filter(([key]) => !known.has(key))
    .map(([key, { low }]) => {
      const cut = key.lastIndexOf('/');
      return { topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), offset: low };
    });
}

async function importOffsets(context: ConsoleContext, values: Values, file: string): Promise<void> {
  const saved = parseSavedOffsets(readFileSync(file, 'utf8'), file);
  const groupId = saved.group;
  const admin = await context.connectedAdmin();
  const [group] = (await admin.describeGroups([groupId])).groups;
  const state = group?.state ?? 'Dead';
  if (state !== 'Empty' && state !== 'Dead') throw new GroupActiveError(groupId, state);
  const topics = new Set(saved.positions.map((p) => p.topic));
  const marks = await watermarksByPartition(admin, topics);
  const problems = restoreProblems(saved.positions, (topic, partition) => marks.get(`${topic}/${partition}`));
  if (problems.length > 0) throw new OffsetsRefusedError(groupId, problems);
  const positions = [...saved.positions, ...partitionsAddedSince(saved.positions, marks)];
  const now = await committedPositions(admin, groupId, [...topics]);
  const current = (p: Position) =>
    now.find((c) => c.topic === p.topic && c.partition === p.partition)?.offset ?? null;
  const changes = positions.map((p) => ({ ...p, from: current(p) }));
  if (!context.json)
    context.io.out(
      table(
        ['topic', 'partition', 'committed', 'restored'],
        changes.map((c) => [c.topic, c.partition, c.from, c.offset]),
      ),
    );
  const question = `Restore ${groupId} to the offsets saved ${saved.savedAt}?`;
  if (!(await confirmChange(context, values.yes, 'restore offsets', question))) return;
  for (const topic of topics) {
    const partitions = positions
      .filter((p) => p.topic === topic)
      .map((p) => ({ partition: p.partition, offset: p.offset }));
    await admin.setOffsets({ groupId, topic, partitions });
  }
  context.print(
    { group: groupId, savedAt: saved.savedAt, changes },
    () => `${groupId}: ${changes.length} partition offsets restored to ${saved.savedAt}`,
  );
}

export const offsetsCommand: Command = {
  name: 'offsets',
  summary: "save a group's committed offsets to a file, or restore them (agency backup and restore)",
  usage: [
    'passport offsets export --group <groupId> --out <file> [--json]',
    'passport offsets import <file> [--yes] [--json]',
    '  export: take it BEFORE the database backup, so the saved positions are never ahead of the database',
    '  import: the group must have no running members; refused if a position lies outside what the topic keeps',
  ].join('\n'),
  options: { group: { type: 'string' }, out: { type: 'string' }, yes: { type: 'boolean' } },
  positionals: ['export|import'],
  async run(context, values, positionals) {
    const [action, file] = positionals;
    if (action === 'export') return exportOffsets(context, values);
    if (action === 'import') {
      if (file === undefined) throw new UsageError('offsets import needs the file written by offsets export');
      return importOffsets(context, values, file);
    }
    throw new UsageError('offsets needs export or import');
  },
};
