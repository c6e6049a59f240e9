import { BodyValidationError } from '@passport/errors';
import { companyFromCsv, csvProblem, CSV_COLUMNS } from './csv-columns';
import { parseCsv, type CsvRow } from './csv';
import type { SourceRecord } from './source-record';

const REQUIRED_COLUMNS = ['companyId', 'name', 'naceCodes', 'sizeBand', 'nutsRegion'];

function checkHeader(header: CsvRow | undefined): string[] {
  if (!header) throw new BodyValidationError([{ path: 'file', message: 'the CSV file is empty' }]);
  if (header.unclosedQuote)
    throw new BodyValidationError([
      { path: 'header', message: `quote opened on line ${header.unclosedQuote.line} is never closed` },
    ]);
  const columns = header.fields.map((name) => name.trim());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (unknown.length || missing.length) {
    throw new BodyValidationError([
      ...missing.map((name) => ({ path: `header.${name}`, message: 'required column is missing' })),
      ...unknown.map((name) => ({
        path: `header.${name}`,
        message: `unknown column; known: ${CSV_COLUMNS.join(', ')}`,
      })),
    ]);
  }
  return columns;
}

/** Rows the parser could not split into the header's columns, and why; none for a well-formed row. */
function shapeProblems(row: CsvRow, columns: readonly string[]): Array<{ field: string; message: string }> {
  if (row.unclosedQuote) {
    const { line, column } = row.unclosedQuote;
    return [
      {
        field: columns[column] ?? `column ${column + 1}`,
        message: `quote opened on line ${line} is never closed; the rest of that line is skipped and reading resumes on line ${line + 1}`,
      },
    ];
  }
  const extra = row.fields.slice(columns.length).filter((field) => field.trim() !== '');
  if (extra.length === 0) return [];
  return [
    {
      field: `column ${columns.length + 1}`,
      message: `the row has ${row.fields.length} fields but the header names ${columns.length} columns; a value containing a comma must be in double quotes`,
    },
  ];
}

export function recordsFromCsv(text: string): SourceRecord[] {
  const [header, ...rows] = parseCsv(text);
  const columns = checkHeader(header);
  return rows.map((row) => {
    const record = Object.fromEntries(columns.map((name, i) => [name, row.fields[i] ?? '']));
    const problems = shapeProblems(row, columns);
    if (problems.length) return { line: row.line, companyId: record.companyId?.trim() || null, problems };
    return { line: row.line, value: companyFromCsv(record), locate: (issue) => csvProblem(issue, record) };
  });
}
