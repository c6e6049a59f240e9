import type { Kpis, RegionKpis } from './kpis';

type Cell = string | number | null;

/** One row per metric; each column is a scope (overall, then each region). */
export function regionRows(kpis: Kpis): { header: string[]; rows: Cell[][] } {
  const scopes: Array<[string, RegionKpis]> = [['overall', kpis.overall], ...Object.entries(kpis.regions)];
  const metric = (name: string, pick: (k: RegionKpis) => Cell): Cell[] => [
    name,
    ...scopes.map(([, k]) => pick(k)),
  ];
  const agreementTypes = [...new Set(scopes.flatMap(([, k]) => Object.keys(k.agreementsByType)))].sort();
  return {
    header: ['metric', ...scopes.map(([name]) => name)],
    rows: [
      metric('requests sent', (k) => k.requestsSent),
      metric('requests received', (k) => k.requestsReceived),
      metric('time to acknowledge, median h', (k) => k.timeToAcknowledgeHours.median),
      metric('time to acknowledge, p90 h', (k) => k.timeToAcknowledgeHours.p90),
      metric('response rate before deadline', (k) => k.responseRateBeforeDeadline),
      metric('time to first candidate, median h', (k) => k.timeToFirstCandidateHours.median),
      metric('time to first candidate, p90 h', (k) => k.timeToFirstCandidateHours.p90),
      metric('candidates proposed', (k) => k.candidatesProposed),
      metric('candidates per request', (k) => k.candidatesPerRequest),
      metric('introductions requested', (k) => k.introductionsRequested),
      metric('introductions accepted', (k) => k.introductionsAccepted),
      metric('meetings', (k) => k.meetings),
      metric('agreements', (k) => k.agreements),
      ...agreementTypes.map((type) => metric(`agreements: ${type}`, (k) => k.agreementsByType[type] ?? 0)),
      metric('funnel: requested', (k) => k.funnel.requested),
      metric('funnel: with candidates', (k) => k.funnel.withCandidates),
      metric('funnel: introduction requested', (k) => k.funnel.introductionRequested),
      metric('funnel: introduction accepted', (k) => k.funnel.introductionAccepted),
      metric('funnel: meeting held', (k) => k.funnel.meetingHeld),
      metric('funnel: agreement signed', (k) => k.funnel.agreementSigned),
    ],
  };
}

export function monthRows(kpis: Kpis): { header: string[]; rows: Cell[][] } {
  const header = [
    'month',
    'requests',
    'candidates',
    'introductions requested',
    'introductions accepted',
    'meetings',
    'agreements',
  ];
  const rows = kpis.months.map((m) => [
    m.month,
    m.requests,
    m.candidates,
    m.introductionsRequested,
    m.introductionsAccepted,
    m.meetings,
    m.agreements,
  ]);
  return { header, rows };
}

const text = (cell: Cell) => (cell === null ? '–' : String(cell));

export function formatTable({ header, rows }: { header: string[]; rows: Cell[][] }): string {
  const all = [header, ...rows.map((row) => row.map(text))];
  const widths = header.map((_, column) => Math.max(...all.map((row) => text(row[column] ?? '').length)));
  const line = (row: Cell[]) =>
    row
      .map((cell, i) => (i === 0 ? text(cell).padEnd(widths[i] ?? 0) : text(cell).padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** RFC 4180: a field with a comma, quote or newline is quoted, quotes doubled; null is empty. */
export function formatCsv({ header, rows }: { header: string[]; rows: Cell[][] }): string {
  const field = (cell: Cell) => {
    const value = cell === null ? '' : String(cell);
    return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n');
}
