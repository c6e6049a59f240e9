import { parseCsv } from '@passport/agency-service/directory/csv';

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes, commas and line breaks inside quotes, and reports start lines', () => {
    const rows = parseCsv('a,b\n"x, y","say ""hi"""\n"multi\nline",z\r\nlast,row');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
      { line: 5, fields: ['last', 'row'] },
    ]);
  });

  it('keeps RFC 4180 quoting: commas, doubled quotes, line breaks inside quotes, CRLF', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\r\nline",""\r\nlast,\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\r\nline', ''] },
      { line: 6, fields: ['last', ''] },
    ]);
  });

  it('keeps a quote in the middle of an unquoted field as it is', () => {
    expect(parseCsv('5" pipes,"a"b')).toEqual([{ line: 1, fields: ['5" pipes', 'ab'] }]);
  });

  it('cuts a row at a quote that never closes and reads the rows after it', () => {
    expect(parseCsv('id,name,x\na1,"Acme, Inc,1\na2,Beta,2\na3,Gamma,3')).toEqual([
      { line: 1, fields: ['id', 'name', 'x'] },
      { line: 2, fields: ['a1'], unclosedQuote: { line: 2, column: 1 } },
      { line: 3, fields: ['a2', 'Beta', '2'] },
      { line: 4, fields: ['a3', 'Gamma', '3'] },
    ]);
  });

  it('names the line the quote opened on when the row started earlier', () => {
    expect(parseCsv('a1,"two\nlines","open\nb1,x')).toEqual([
      { line: 1, fields: ['a1', 'two\nlines'], unclosedQuote: { line: 2, column: 2 } },
      { line: 3, fields: ['b1', 'x'] },
    ]);
  });
});
