/**
 * Anonymous events (requests, candidate replies, outcomes) must not carry contact data (DESIGN.md §6).
 * These patterns catch the common slips — an e-mail address or a phone number pasted into free text —
 * without flagging NACE codes (28.41), HS codes (8708) or years, which are short digit runs.
 */
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/i;
/** International form: +49 711 …, 0049 711 …, with the usual separators. */
const INTERNATIONAL_PHONE = /(?:\+|\b00)\d{1,3}[\s./()-]*\d(?:[\s./()-]*\d){5,}/;
/** National form with a trunk 0: 0711 123456, 06-12 34 56 78, (0)711/12345. */
const NATIONAL_PHONE = /(?:^|[^\d.])\(?0\)?\d{1,4}[\s/-]+\d{2,}(?:[\s-]?\d{2,}){1,3}(?![\d.])/;

export function personalDataIn(text: string): 'an e-mail address' | 'a phone number' | undefined {
  if (EMAIL.test(text)) return 'an e-mail address';
  if (INTERNATIONAL_PHONE.test(text) || NATIONAL_PHONE.test(text)) return 'a phone number';
  return undefined;
}
