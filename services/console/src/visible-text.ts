/**
 * Text that reaches an admin's terminal or page carries partner-controlled values (headers, keys,
 * payload texts, error messages quoting them). A terminal obeys control characters: ANSI escapes can
 * rewrite the screen or the window title, CR overwrites a line, bidi overrides reorder what is read.
 * So every such character is shown as a visible escape instead: C0 and DEL and C1 as `\x1b`-style
 * (`\u009b` for DEL and C1, which JSON also accepts), bidi embeddings, overrides and isolates and the
 * Unicode line separators as `\u202e`-style.
 *
 * One regular expression made of a single character class, replaced in one pass: linear in the length
 * of the text, whatever it holds.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x20
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value (a header, a key, a message): every control character escaped, newlines included. */
export function visibleText(value: unknown): string {
  return String(value).replace(CONTROLS, escapeOne);
}

/**
 * A whole output, lines of our own making: newlines stay, every other control character is escaped.
 * Applied to everything the CLI writes, JSON included: JSON.stringify leaves DEL, C1 and the bidi
 * controls raw inside strings, and `\u…` is how JSON spells them, so the output stays valid JSON.
 */
export function visibleOutput(text: string): string {
  return text.replace(CONTROLS_BUT_NEWLINE, escapeOne);
}
