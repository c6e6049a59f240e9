/**
 * Light suffix stripping per language: one ending removed, the longest that leaves at least four letters.
 * It only has to bring a word's inflections together ("gears"/"gear", "Maschinen"/"Maschine",
 * "distribution"/"distribut"); meeting the same concept in another language is the synonym table's job.
 * Words arrive lower case and without accents (`foldAccents`).
 */

/** Endings as a space-separated list, tried longest first so "ungen" goes before "en". */
const endings = (list: string): readonly string[] => list.split(' ').sort((a, b) => b.length - a.length);

const SUFFIXES_BY_LANGUAGE: Record<string, readonly string[]> = {
  en: endings('ings ing ions ion ives ive ers er ies ied als al ed es s y e'),
  de: endings('ungen ung ern en er es em e s n'),
  fr: endings('ements ement ions ion iques ique es s e x'),
  it: endings('ioni ione ici ico iche ica i e o a'),
  es: endings('iones ion es os as s o a e'),
  ca: endings('ions io es os s a e'),
};

/**
 * For text of unknown language (keywords are typed in any of the six): the endings the matcher has always
 * stripped, a mix of the six languages' plurals and inflections, so keyword stems keep meeting each other.
 */
const GENERIC_SUFFIXES = endings('ungen ung ions ing ers ies es er en ed os as is i e s n o a x');

const MIN_STEM = 4;

function stripOne(word: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (word.length - suffix.length >= MIN_STEM && word.endsWith(suffix))
      return word.slice(0, -suffix.length);
  }
  return word;
}

/** The word's stem in `language`; the generic endings when the language is unknown or not one of ours. */
export function stem(word: string, language?: string): string {
  return stripOne(word, (language !== undefined && SUFFIXES_BY_LANGUAGE[language]) || GENERIC_SUFFIXES);
}
