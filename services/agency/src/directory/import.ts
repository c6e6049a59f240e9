import { BodyValidationError } from '@passport/errors';
import { directoryCompany, type DirectoryCompany } from './company';
import { recordsFromCsv } from './csv-records';
import type { SourceRecord } from './source-record';

export interface RejectedRow {
  /** CSV: the line the row starts on (the header is line 1). JSON: the record's position, from 1. */
  line: number;
  companyId: string | null;
  /** CSV: the column name as in the header. JSON: the path inside the record (descriptions.en). */
  field: string;
  message: string;
}

export interface ValidatedImport {
  accepted: Array<{ line: number; company: DirectoryCompany }>;
  rejected: RejectedRow[];
}

const jsonPath = (issue: { path: readonly PropertyKey[]; message: string }) => ({
  field: issue.path.map(String).join('.'),
  message: issue.message,
});

function recordsFromJson(text: string): SourceRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BodyValidationError([{ path: 'file', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  if (!Array.isArray(parsed))
    throw new BodyValidationError([{ path: 'file', message: 'must be a JSON array of companies' }]);
  return parsed.map((value, index) => ({ line: index + 1, value, locate: jsonPath }));
}

const companyIdIn = (value: unknown) =>
  typeof (value as { companyId?: unknown })?.companyId === 'string'
    ? (value as { companyId: string }).companyId
    : null;

function validateRecord(record: SourceRecord): DirectoryCompany | RejectedRow[] {
  if ('problems' in record)
    return record.problems.map((problem) => ({ line: record.line, companyId: record.companyId, ...problem }));
  const parsed = directoryCompany.safeParse(record.value);
  if (parsed.success) return parsed.data;
  const companyId = companyIdIn(record.value);
  return parsed.error.issues.map((issue) => ({ line: record.line, companyId, ...record.locate(issue) }));
}

/**
 * Validates every row on its own: one bad row is reported with its line and field and does not stop the
 * others. A company id that appears twice in one file is refused the second time.
 */
export function validateDirectoryFile(text: string, format: 'csv' | 'json'): ValidatedImport {
  const records = format === 'csv' ? recordsFromCsv(text) : recordsFromJson(text);
  const result: ValidatedImport = { accepted: [], rejected: [] };
  const seen = new Set<string>();
  for (const record of records) {
    const company = validateRecord(record);
    if (Array.isArray(company)) {
      result.rejected.push(...company);
    } else if (seen.has(company.companyId)) {
      result.rejected.push({
        line: record.line,
        companyId: company.companyId,
        field: 'companyId',
        message: 'appears earlier in the same file',
      });
    } else {
      seen.add(company.companyId);
      result.accepted.push({ line: record.line, company });
    }
  }
  return result;
}
