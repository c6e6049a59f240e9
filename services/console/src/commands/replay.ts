import { GroupActiveError, UsageError } from '@passport/errors';
import type { Admin } from 'kafkajs';
import type { Command } from '../command';
import { confirmChange } from '../confirm';
import type { ConsoleContext } from '../context';
import { table } from '../table';

interface Change {
  topic: string;
  partition: number;
  from: string | null;
  to: string;
}

async function plannedChanges(
  admin: Admin,
  context: ConsoleContext,
  groupId: string,
  time: Date,
): Promise<Change[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...context.topics.events] });
  const changes: Change[] = [];
  for (const { topic, partitions } of committed) {
    if (partitions.every((p) => p.offset === '-1')) continue;
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, time.getTime());
    const watermarks = await admin.fetchTopicOffsets(topic);
    for (const { partition, offset } of byTime) {
      // -1: nothing at or after the time on this partition, so the group resumes at the end.
      const to = offset === '-1' ? (watermarks.find((w) => w.partition === partition)?.high ?? '0') : offset;
      const from = partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      changes.push({ topic, partition, from: from === '-1' ? null : from, to });
    }
  }
  return changes;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: "move an inactive group's offsets to a point in time, so it consumes again from there",
  usage: [
    'passport replay --group <groupId> --to-time <ISO 8601> [--yes] [--json]',
    '  the group must have no running members; the change is shown and confirmed unless --yes',
  ].join('\n'),
  options: { group: { type: 'string' }, 'to-time': { type: 'string' }, yes: { type: 'boolean' } },
  async run(context, values) {
    const groupId = values.group;
    const timeText = values['to-time'];
    if (typeof groupId !== 'string') throw new UsageError('--group <groupId> is required');
    if (typeof timeText !== 'string' || Number.isNaN(new Date(timeText).getTime()))
      throw new UsageError('--to-time <ISO 8601 time> is required, e.g. 2026-03-01T00:00:00Z');
    const admin = await context.connectedAdmin();
    const [group] = (await admin.describeGroups([groupId])).groups;
    const state = group?.state ?? 'Dead';
    if (state !== 'Empty' && state !== 'Dead') throw new GroupActiveError(groupId, state);
    const changes = await plannedChanges(admin, context, groupId, new Date(timeText));
    if (changes.length === 0)
      throw new UsageError(`group ${groupId} has no committed offsets on the exchange topics`);
    if (!context.json)
      context.io.out(
        table(
          ['topic', 'partition', 'committed', 'new'],
          changes.map((c) => [c.topic, c.partition, c.from, c.to]),
        ),
      );
    if (!(await confirmChange(context, values.yes, 'reset offsets', `Reset ${groupId} to these offsets?`)))
      return;
    for (const topic of new Set(changes.map((c) => c.topic))) {
      const partitions = changes
        .filter((c) => c.topic === topic)
        .map((c) => ({ partition: c.partition, offset: c.to }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
    context.print({ group: groupId, changes }, () => `${groupId}: ${changes.length} partition offsets reset`);
  },
};
