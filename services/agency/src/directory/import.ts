import { BodyValidationError } from '@passport/errors';
import { companyFromCsv, CSV_COLUMNS } from './csv-columns';
import { parseCsv } from './csv';
import { directoryCompany, type DirectoryCompany } from './company';

export interface RejectedRow {
  /** CSV: the line the row starts on (the header is line 1). JSON: the record's position, from 1. */
  line: number;
  companyId: string | null;
  field: string;
  message: string;
}

export interface ValidatedImport {
  accepted: Array<{ line: number; company: DirectoryCompany }>;
  rejected: RejectedRow[];
}

const REQUIRED_COLUMNS = ['companyId', 'name', 'naceCodes', 'sizeBand', 'nutsRegion'];

function recordsFromCsv(text: string): Array<{ line: number; value: unknown }> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new BodyValidationError([{ path: 'file', message: 'the CSV file is empty' }]);
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
  return rows.map((row) => ({
    line: row.line,
    value: companyFromCsv(Object.fromEntries(columns.map((name, i) => [name, row.fields[i] ?? '']))),
  }));
}

function recordsFromJson(text: string): Array<{ line: number; value: unknown }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BodyValidationError([{ path: 'file', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  if (!Array.isArray(parsed))
    throw new BodyValidationError([{ path: 'file', message: 'must be a JSON array of companies' }]);
  return parsed.map((value, index) => ({ line: index + 1, value }));
}

/**
 * Validates every row on its own: one bad row is reported with its line and field and does not stop the
 * others. A company id that appears twice in one file is refused the second time.
 */
export function validateDirectoryFile(text: string, format: 'csv' | 'json'): ValidatedImport {
  const records = format === 'csv' ? recordsFromCsv(text) : recordsFromJson(text);
  const result: ValidatedImport = { accepted: [], rejected: [] };
  const seen = new Set<string>();
  for (const { line, value } of records) {
    const companyId =
      typeof (value as { companyId?: unknown })?.companyId === 'string'
        ? (value as { companyId: string }).companyId
        : null;
    const parsed = directoryCompany.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        result.rejected.push({
          line,
          companyId,
          field: issue.path.map(String).join('.'),
          message: issue.message,
        });
      continue;
    }
    if (seen.has(parsed.data.companyId)) {
      result.rejected.push({
        line,
        companyId,
        field: 'companyId',
        message: 'appears earlier in the same file',
      });
      continue;
    }
    seen.add(parsed.data.companyId);
    result.accepted.push({ line, company: parsed.data });
  }
  return result;
}
