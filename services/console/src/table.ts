import { visibleText } from './visible-text';

/** Plain aligned columns for people; `--json` gives scripts the same rows. Cells are shown escaped. */
export function table(header: string[], rows: Array<Array<string | number | bigint | null>>): string {
  const text = rows.map((row) => row.map((cell) => (cell === null ? '–' : visibleText(cell))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...text.map(line)].join('\n');
}
