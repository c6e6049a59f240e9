import type { NeedsProfile } from '@passport/events';
import { SYNONYMS } from './synonyms';

/**
 * Words reduced to comparable stems: lower case, accents removed, split on anything that is not a letter
 * or digit, short and filler words dropped, a light suffix stemmer per language family, then mapped to a
 * canonical term where the synonym table knows one. Light stemming keeps "gears"/"gear" and
 * "Maschinen"/"Maschine" together without a dictionary.
 */
const STOPWORDS = new Set([
  'and',
  'the',
  'for',
  'with',
  'und',
  'der',
  'die',
  'das',
  'mit',
  'fur',
  'von',
  'des',
  'les',
  'pour',
  'avec',
  'une',
  'dans',
  'los',
  'las',
  'con',
  'para',
  'per',
  'amb',
  'els',
  'del',
  'della',
  'delle',
  'che',
  'nel',
  'sur',
  'aux',
]);

/** Longest first, so "ungen" is removed before "en". Covers de, en, fr, es, ca, it plural and verb endings. */
const SUFFIXES = [
  'ungen',
  'ung',
  'ions',
  'ing',
  'ers',
  'ies',
  'es',
  'er',
  'en',
  'ed',
  'os',
  'as',
  'is',
  'i',
  'e',
  's',
  'n',
  'o',
  'a',
  'x',
];

export function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of foldAccents(text).split(/[^a-z0-9]+/)) {
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    const stemmed = stem(word);
    out.push(SYNONYMS.get(stemmed) ?? SYNONYMS.get(word) ?? stemmed);
  }
  return out;
}

export function termSet(texts: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const text of texts) for (const term of terms(text)) set.add(term);
  return set;
}

/** The terms a request is matched on: its texts in every language it gives, and its keywords. */
export function profileTerms(profile: NeedsProfile): Set<string> {
  return termSet([
    profile.title,
    profile.summary,
    profile.description,
    ...profile.keywords,
    ...profile.translations.flatMap((t) => [t.title, t.summary]),
  ]);
}
