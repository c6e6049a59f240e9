import { formatCsv, formatTable } from '@passport/kpis';

describe('KPI formatting', () => {
  const rows = {
    header: ['metric', 'overall'],
    rows: [
      ['a, "quoted" name', 1],
      ['empty', null],
    ],
  };

  it('writes RFC 4180 CSV, null as an empty field', () => {
    expect(formatCsv(rows)).toBe('metric,overall\n"a, ""quoted"" name",1\nempty,');
  });

  it('aligns a table, showing null as a dash', () => {
    expect(formatTable(rows).split('\n')).toEqual([
      'metric            overall',
      '----------------  -------',
      'a, "quoted" name        1',
      'empty                   –',
    ]);
  });
});
