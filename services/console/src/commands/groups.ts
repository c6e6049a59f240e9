import { loadAgencies } from '@passport/config';
import { groupLag } from '@passport/streams';
import type { Command } from '../command';
import type { ConsoleContext } from '../context';
import { table } from '../table';

export interface GroupRow {
  group: string;
  state: string;
  topic: string | null;
  partition: number | null;
  committed: bigint | null;
  high: bigint | null;
  lag: bigint | null;
}

/** One row per group and partition it committed on; also what the web console shows. */
export async function groupRows(
  context: ConsoleContext,
  values: { group?: string; all?: boolean },
): Promise<GroupRow[]> {
  const admin = await context.connectedAdmin();
  const prefixes = loadAgencies().map((agency) => `${agency.id}.`);
  const { groups } = await admin.listGroups();
  const chosen = groups
    .map((g) => g.groupId)
    .filter((id) =>
      values.group ? id === values.group : values.all || prefixes.some((p) => id.startsWith(p)),
    )
    .sort();
  const described = chosen.length ? (await admin.describeGroups(chosen)).groups : [];
  const rows: GroupRow[] = [];
  for (const groupId of chosen) {
    const state = described.find((g) => g.groupId === groupId)?.state ?? 'Unknown';
    const lags = await groupLag(admin, groupId, context.topics.events);
    for (const lag of lags.filter((l) => l.committed !== null))
      rows.push({
        group: groupId,
        state,
        topic: lag.topic,
        partition: lag.partition,
        committed: lag.committed,
        high: lag.high,
        lag: lag.lag,
      });
    if (!lags.some((l) => l.committed !== null))
      rows.push({
        group: groupId,
        state,
        topic: null,
        partition: null,
        committed: null,
        high: null,
        lag: null,
      });
  }
  return rows;
}

export const groupsCommand: Command = {
  name: 'groups',
  summary: 'consumer groups of the agencies: state and lag per partition',
  usage:
    'passport groups [--group <id>] [--all] [--json]\n  --group  only this group\n  --all    every group, not only those named <agency>.<purpose>',
  options: { group: { type: 'string' }, all: { type: 'boolean' } },
  async run(context, values) {
    const rows = await groupRows(context, {
      group: values.group as string | undefined,
      all: Boolean(values.all),
    });
    context.print(rows, () =>
      rows.length === 0
        ? 'no agency consumer groups'
        : table(
            ['group', 'state', 'topic', 'partition', 'committed', 'high', 'lag'],
            rows.map((r) => [r.group, r.state, r.topic, r.partition, r.committed, r.high, r.lag]),
          ),
    );
  },
};
