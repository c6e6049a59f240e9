import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { stem } from './stemmer';
import { SYNONYMS } from './synonyms';

/**
 * Words reduced to comparable terms: lower case, accents removed, split on anything that is not a letter
 * or digit, short and filler words dropped, a light suffix stemmer of the text's language (stemmer.ts),
 * then mapped to a canonical term where the synonym table knows the concept.
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

export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

/**
 * The canonical term of a word: the synonym table's concept for its stem in its own language, else for
 * the word as written, else for its generic stem; a word the table does not know keeps the generic stem.
 * Keywords (of any language) get the generic stem too, so outside the table a description and a keyword
 * of the same word always meet, whatever the language's own endings would make of it.
 */
function termOf(word: string, language: string | undefined): string {
  const generic = stem(word);
  const own = language === undefined ? generic : stem(word, language);
  return SYNONYMS.get(own) ?? SYNONYMS.get(word) ?? SYNONYMS.get(generic) ?? generic;
}

/** Directories repeat their words: a bounded memo spares an index build most of the stemming. */
const MEMO_LIMIT = 50_000;
const memo = new Map<string, string>();

function memoisedTermOf(word: string, language: string | undefined): string {
  const key = `${language ?? '*'} ${word}`;
  let term = memo.get(key);
  if (term === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    term = termOf(word, language);
    memo.set(key, term);
  }
  return term;
}

/** `language`: a BCP 47 primary tag of the text; absent when unknown, as for keywords. */
export function terms(text: string, language?: string): string[] {
  const out: string[] = [];
  for (const word of foldAccents(text).split(/[^a-z0-9]+/)) {
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    out.push(memoisedTermOf(word, language));
  }
  return out;
}

function addTerms(set: Set<string>, texts: ReadonlyArray<string | null>, language?: string): void {
  for (const text of texts) if (text) for (const term of terms(text, language)) set.add(term);
}

/** The terms a request is matched on: its texts in every language it gives, and its keywords. */
export function profileTerms(profile: NeedsProfile): Set<string> {
  const set = new Set<string>();
  addTerms(set, [profile.title, profile.summary, profile.description], profile.textLanguage);
  addTerms(set, profile.keywords);
  for (const translation of profile.translations)
    addTerms(set, [translation.title, translation.summary], translation.language);
  return set;
}

/** The terms a company is found by: its keywords (of any language) and its description in each language. */
export function companyTerms(company: Pick<DirectoryCompany, 'keywords' | 'descriptions'>): Set<string> {
  const set = new Set<string>();
  addTerms(set, company.keywords);
  for (const [language, description] of Object.entries(company.descriptions))
    addTerms(set, [description ?? null], language);
  return set;
}
