/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, a quote inside quotes doubled,
 * line breaks allowed inside quotes. Returns rows with the line number each row starts on, so import
 * errors can point at the line a person sees in their spreadsheet export.
 */
export interface CsvRow {
  line: number;
  /** The fields read; for a row with an unclosed quote, those before the quoted one. */
  fields: string[];
  /** A quote that never closes would swallow the rest of the file; the row is cut there instead. */
  unclosedQuote?: { line: number; column: number };
}

interface Cursor {
  index: number;
  line: number;
}

type FieldRead = { value: string; next: Cursor } | { unclosedAt: Cursor };

const isLineBreak = (char: string | undefined) => char === '\n' || char === '\r';

/** Past the line break at `at` (CRLF, LF or a lone CR), or the end of the input. */
function pastLineBreak(input: string, at: Cursor): Cursor {
  const width = input.startsWith('\r\n', at.index) ? 2 : 1;
  return at.index >= input.length ? at : { index: at.index + width, line: at.line + 1 };
}

/** Up to the next comma or line break; a quote in the middle of a field is kept as it is. */
function readUnquoted(input: string, start: Cursor): { value: string; next: Cursor } {
  let index = start.index;
  while (index < input.length && input[index] !== ',' && !isLineBreak(input[index])) index += 1;
  return { value: input.slice(start.index, index), next: { index, line: start.line } };
}

function readQuoted(input: string, start: Cursor): FieldRead {
  let value = '';
  let index = start.index + 1;
  let line = start.line;
  while (index < input.length) {
    const char = input[index] as string;
    if (char === '"' && input[index + 1] === '"') {
      value += '"';
      index += 2;
    } else if (char === '"') {
      const rest = readUnquoted(input, { index: index + 1, line });
      return { value: value + rest.value, next: rest.next };
    } else {
      if (char === '\n') line += 1;
      value += char;
      index += 1;
    }
  }
  return { unclosedAt: start };
}

const readField = (input: string, at: Cursor): FieldRead =>
  input[at.index] === '"' ? readQuoted(input, at) : readUnquoted(input, at);

function endOfLine(input: string, from: Cursor): Cursor {
  let index = from.index;
  while (index < input.length && !isLineBreak(input[index])) index += 1;
  return { index, line: from.line };
}

/**
 * One row from `start`. After an unclosed quote, reading resumes on the line after the one the quote
 * opened on: the likeliest slip is a stray quote, and the rows below are then read as they were meant.
 */
function readRow(input: string, start: Cursor): { row: CsvRow; next: Cursor } {
  const fields: string[] = [];
  let at = start;
  for (;;) {
    const field = readField(input, at);
    if ('unclosedAt' in field) {
      const quote = field.unclosedAt;
      const lineEnd = endOfLine(input, quote);
      const row = { line: start.line, fields, unclosedQuote: { line: quote.line, column: fields.length } };
      return { row, next: pastLineBreak(input, lineEnd) };
    }
    fields.push(field.value);
    at = field.next;
    if (input[at.index] !== ',') return { row: { line: start.line, fields }, next: pastLineBreak(input, at) };
    at = { index: at.index + 1, line: at.line };
  }
}

const isBlank = (row: CsvRow) => !row.unclosedQuote && row.fields.length === 1 && row.fields[0] === '';

export function parseCsv(text: string): CsvRow[] {
  const input = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let at: Cursor = { index: 0, line: 1 };
  while (at.index < input.length) {
    const { row, next } = readRow(input, at);
    if (!isBlank(row)) rows.push(row);
    at = next;
  }
  return rows;
}
