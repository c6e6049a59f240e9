import { loadAgencies } from '@passport/config';
import { formatCsv, formatTable, kpisFromTopics, monthRows, regionRows } from '@passport/kpis';
import type { Command } from '../command';

export const kpisCommand: Command = {
  name: 'kpis',
  summary: 'the success evaluation, computed from the topics from offset zero',
  usage: [
    'passport kpis [--csv] [--months] [--json]',
    '  table per region (columns) and overall; --months: the per-month table instead; --csv: CSV',
  ].join('\n'),
  options: { csv: { type: 'boolean' }, months: { type: 'boolean' } },
  async run(context, values) {
    const kpis = await kpisFromTopics(context.kafka, await context.eventCodec(), context.topics, {
      agencies: loadAgencies().map((agency) => agency.id),
      onProgress: ({ topic, read }) => context.progress(`${topic}: ${read} messages read`),
    });
    const rows = values.months ? monthRows(kpis) : regionRows(kpis);
    context.print(kpis, () => (values.csv ? formatCsv(rows) : formatTable(rows)));
  },
};
