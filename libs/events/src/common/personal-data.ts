/**
 * Anonymous events (requests, candidate replies, outcomes) must not carry contact data (DESIGN.md §6).
 * These scanners catch the common slips — an e-mail address or a phone number pasted into free text —
 * without flagging NACE codes (28.41), HS codes (8708) or years, which are short digit runs.
 *
 * The text comes from other agencies, so every scan is linear in its length: the e-mail and national
 * phone checks are written as single passes instead of regular expressions, because their natural
 * patterns backtrack (a national-phone pattern took hours on `Ref 01 111…1.` at 4,000 digits, and froze
 * every consumer that validated it). The international pattern starts only at `+` or `00`, has no
 * ambiguous repetition, and the lint's super-linear rules check it.
 */
const INTERNATIONAL_PHONE = /(?:\+|\b00)\d{1,3}[\s./()-]*\d(?:[\s./()-]*\d){5,}/;

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
const isAsciiLetter = (char: string | undefined) =>
  char !== undefined && ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z'));
const isDomainChar = (char: string) => isAsciiLetter(char) || isDigit(char) || char === '-';
const isLocalPartChar = (char: string | undefined) =>
  char !== undefined && (isDomainChar(char) || '._%+'.includes(char));
const WHITESPACE = /^\s$/;
const isSpace = (char: string | undefined) => char !== undefined && WHITESPACE.test(char);

/**
 * After an `@`: labels of letters, digits and `-`, separated by single dots, the last one starting with
 * two letters (`example.org`, `mail.impresa.it`). Stops at the first character a domain cannot hold, so
 * the scans from different `@` never overlap.
 */
function domainAt(text: string, start: number): boolean {
  let labelLength = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === '.') {
      if (labelLength === 0) return false;
      if (isAsciiLetter(text[index + 1]) && isAsciiLetter(text[index + 2])) return true;
      labelLength = 0;
    } else if (isDomainChar(char)) {
      labelLength += 1;
    } else {
      return false;
    }
  }
  return false;
}

function containsEmailAddress(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (isLocalPartChar(text[at - 1]) && domainAt(text, at + 1)) return true;
  }
  return false;
}

const digitRunLength = (text: string, start: number) => {
  let end = start;
  while (isDigit(text[end])) end += 1;
  return end - start;
};

/**
 * The subscriber part after the area code: runs of at least two digits joined by at most one space or
 * hyphen, forming two to four groups of two or more digits (`123456`, `12 34 56 78`), and not followed
 * by a digit or a dot (so `12.5` and version numbers stay text). Looks at four runs at most.
 */
function subscriberNumberAt(text: string, start: number): boolean {
  let index = start;
  let possibleGroups = 0;
  for (let run = 0; run < 4; run += 1) {
    const length = digitRunLength(text, index);
    if (length < 2) return false;
    possibleGroups += Math.floor(length / 2);
    index += length;
    if (possibleGroups >= 2 && text[index] !== '.') return true;
    const joined = (isSpace(text[index]) || text[index] === '-') && isDigit(text[index + 1]);
    if (!joined) return false;
    index += 1;
  }
  return false;
}

/**
 * A national number at a trunk `0`: `0711 123456`, `06-12 34 56 78`, `(0)711/12345`. The `0` starts a
 * number only after the start of the text or a character other than a digit or a dot; the area code
 * has one to four more digits, then at least one space, `/` or `-`.
 */
function nationalNumberAt(text: string, zero: number): boolean {
  const before = text[zero - 1];
  if (isDigit(before) || before === '.') return false;
  let index = text[zero + 1] === ')' ? zero + 2 : zero + 1;
  const areaDigits = digitRunLength(text, index);
  if (areaDigits < 1 || areaDigits > 4) return false;
  index += areaDigits;
  const separatorStart = index;
  while (isSpace(text[index]) || text[index] === '/' || text[index] === '-') index += 1;
  return index > separatorStart && subscriberNumberAt(text, index);
}

/**
 * Each candidate `0` is followed by at most a few digits, one separator run and four digit runs, and
 * separator runs hold no `0`: every character is looked at a bounded number of times.
 */
function containsNationalPhone(text: string): boolean {
  for (let zero = text.indexOf('0'); zero !== -1; zero = text.indexOf('0', zero + 1)) {
    if (nationalNumberAt(text, zero)) return true;
  }
  return false;
}

export function personalDataIn(text: string): 'an e-mail address' | 'a phone number' | undefined {
  if (containsEmailAddress(text)) return 'an e-mail address';
  if (INTERNATIONAL_PHONE.test(text) || containsNationalPhone(text)) return 'a phone number';
  return undefined;
}
