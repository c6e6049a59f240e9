import { performance } from 'node:perf_hooks';
import { visibleOutput, visibleText } from '@passport/console/visible-text';

/** Every character a terminal or a bidi renderer would act on instead of showing. */
const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const BIDI = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) =>
  String.fromCharCode(c),
);
const HOSTILE = [...C0, '\x7f', ...C1, ...BIDI];

describe('visibleText', () => {
  it.each([
    ['an ANSI colour', '\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['a window-title OSC ended by BEL', '\x1b]0;owned\x07', '\\x1b]0;owned\\x07'],
    ['a carriage return overwriting the line', 'ok\rFAKE', 'ok\\x0dFAKE'],
    ['a forged second line', 'a\nPASSPORT_OK b', 'a\\x0aPASSPORT_OK b'],
    ['a C1 control sequence introducer', '\x9b2J', '\\u009b2J'],
    ['DEL', 'x\x7fy', 'x\\u007fy'],
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'invoice\\u202efdp.exe'],
    ['an isolate', '\u2066a\u2069', '\\u2066a\\u2069'],
    ['a NUL', 'a\0b', 'a\\x00b'],
  ])('shows %s as a visible escape', (_what, hostile, shown) => {
    expect(visibleText(hostile)).toBe(shown);
  });

  it('leaves no control character of any kind raw, and ordinary text as it is', () => {
    const escaped = visibleText(HOSTILE.join(''));
    for (const char of HOSTILE) expect(escaped).not.toContain(char);
    expect(visibleText('Zahnräder, Ø 40 mm — 100 % «präzise» 日本')).toBe(
      'Zahnräder, Ø 40 mm — 100 % «präzise» 日本',
    );
  });

  it('takes time linear in the length, whatever the text holds', () => {
    const timeOf = (text: string) => {
      const start = performance.now();
      visibleText(text);
      return performance.now() - start;
    };
    const unit = '\x1b[31m\u202e\x9bab';
    timeOf(unit.repeat(10_000)); // warm up the regular expression
    const small = timeOf(unit.repeat(100_000));
    const large = timeOf(unit.repeat(400_000));
    // Four times the text; a super-linear escape would take sixteen times or more.
    expect(large).toBeLessThan(small * 10 + 50);
  });
});

describe('visibleOutput', () => {
  it('keeps the lines of a whole output but escapes everything else', () => {
    expect(visibleOutput('line 1\nline\r2\x1b[2J')).toBe('line 1\nline\\x0d2\\x1b[2J');
  });

  it('keeps JSON output valid JSON, with the same values once parsed', () => {
    const value = { header: HOSTILE.join(''), nested: ['\u202e', '\x85'] };
    const shown = visibleOutput(JSON.stringify(value));
    for (const char of HOSTILE) expect(shown).not.toContain(char);
    expect(JSON.parse(shown)).toEqual(value);
  });
});
