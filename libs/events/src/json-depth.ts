/**
 * How deeply a JSON text nests arrays and objects, found in one pass over its characters without
 * parsing it, so a hostile body is measured before any recursive walk (a parser's reviver, a validator)
 * can run out of stack on it. Brackets inside strings do not count; the scan stops as soon as the limit
 * is passed. Malformed text is left for the parser to refuse.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** No event or HTTP body of the contract comes near this; a text beyond it is refused unparsed. */
export const MAX_JSON_DEPTH = 32;
