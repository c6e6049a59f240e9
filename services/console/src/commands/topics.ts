import { ConfigResourceTypes } from 'kafkajs';
import type { Command } from '../command';
import type { ConsoleContext } from '../context';
import { table } from '../table';

const DAY_MS = 86_400_000;

export interface TopicRow {
  topic: string;
  partitions: number;
  retentionDays: number | null;
  messages: number;
  missing: boolean;
}

/** One row per exchange topic; also what the web console shows. */
export async function topicRows(context: ConsoleContext): Promise<TopicRow[]> {
  const admin = await context.connectedAdmin();
  const names = [...context.topics.events, ...context.topics.deadLetters];
  const existing = new Set(await admin.listTopics());
  const present = names.filter((name) => existing.has(name));
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['retention.ms'],
    })),
  });
  const rows: TopicRow[] = [];
  for (const name of names) {
    if (!existing.has(name)) {
      rows.push({ topic: name, partitions: 0, retentionDays: null, messages: 0, missing: true });
      continue;
    }
    const offsets = await admin.fetchTopicOffsets(name);
    const retention = configs.resources
      .find((r) => r.resourceName === name)
      ?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue;
    const messages = offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0);
    const retentionDays =
      retention === undefined || retention === '-1' ? null : Math.round(Number(retention) / DAY_MS);
    rows.push({ topic: name, partitions: offsets.length, retentionDays, messages, missing: false });
  }
  return rows;
}

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'the exchange topics: partitions, retention, message counts',
  usage: 'passport topics [--json]',
  options: {},
  async run(context) {
    const rows = await topicRows(context);
    context.print(rows, () =>
      table(
        ['topic', 'partitions', 'retention', 'messages'],
        rows.map((r) => [
          r.topic,
          r.missing ? 'missing' : r.partitions,
          r.retentionDays === null ? 'forever' : `${r.retentionDays} d`,
          r.messages,
        ]),
      ),
    );
  },
};
