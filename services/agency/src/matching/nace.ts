import type { NACE_REVISIONS } from '@passport/events';

export interface NaceCode {
  code: string;
  revision: (typeof NACE_REVISIONS)[number];
}

/** A section of one NACE revision: its letter and the divisions it spans. */
export interface NaceSection {
  revision: NaceCode['revision'];
  letter: string;
  from: number;
  to: number;
}

type SectionRows = Array<[letter: string, from: number, to: number]>;

/** Sections A–F are the same in both revisions. */
const A_TO_F: SectionRows = [
  ['A', 1, 3],
  ['B', 5, 9],
  ['C', 10, 33],
  ['D', 35, 35],
  ['E', 36, 39],
  ['F', 41, 43],
];

/** Regulation (EC) No 1893/2006, annex I. */
const REV_2: SectionRows = [
  ...A_TO_F,
  ['G', 45, 47],
  ['H', 49, 53],
  ['I', 55, 56],
  ['J', 58, 63],
  ['K', 64, 66],
  ['L', 68, 68],
  ['M', 69, 75],
  ['N', 77, 82],
  ['O', 84, 84],
  ['P', 85, 85],
  ['Q', 86, 88],
  ['R', 90, 93],
  ['S', 94, 96],
  ['T', 97, 98],
  ['U', 99, 99],
];

/**
 * Commission Delegated Regulation (EU) 2023/137, annex I. Rev. 2 section J is split into J (publishing,
 * broadcasting, content production, 58–60) and K (telecommunications, programming, computing
 * infrastructure, 61–63), which moves every later letter one on. Division 45 is gone: the sale of motor
 * vehicles is in 46 and 47, their repair in 95.3.
 */
const REV_2_1: SectionRows = [
  ...A_TO_F,
  ['G', 46, 47],
  ['H', 49, 53],
  ['I', 55, 56],
  ['J', 58, 60],
  ['K', 61, 63],
  ['L', 64, 66],
  ['M', 68, 68],
  ['N', 69, 75],
  ['O', 77, 82],
  ['P', 84, 84],
  ['Q', 85, 85],
  ['R', 86, 88],
  ['S', 90, 93],
  ['T', 94, 96],
  ['U', 97, 98],
  ['V', 99, 99],
];

const sectionsOf = (revision: NaceCode['revision'], rows: SectionRows): NaceSection[] =>
  rows.map(([letter, from, to]) => ({ revision, letter, from, to }));

/** UNKNOWN has no table: a section letter means nothing without its revision. */
const SECTIONS: Partial<Record<NaceCode['revision'], NaceSection[]>> = {
  REV_2: sectionsOf('REV_2', REV_2),
  REV_2_1: sectionsOf('REV_2_1', REV_2_1),
};

/** The section of the code in its own revision's table; the same object for every code of that section. */
export function sectionOf({ code, revision }: NaceCode): NaceSection | undefined {
  const sections = SECTIONS[revision] ?? [];
  if (/^[A-Z]$/.test(code)) return sections.find((section) => section.letter === code);
  const division = Number(code.slice(0, 2));
  return sections.find((section) => division >= section.from && division <= section.to);
}

/**
 * Within one revision the sections partition the divisions, so sharing a division means the same
 * section. Across revisions the letters moved (Rev. 2 K is finance, Rev. 2.1 K is telecoms and IT), so
 * sections are compared by the divisions they span: Rev. 2 J (58–63) meets Rev. 2.1 J and K, Rev. 2 K
 * meets Rev. 2.1 L, and never Rev. 2.1 K.
 */
export function sameSection(a: NaceSection | undefined, b: NaceSection | undefined): boolean {
  return a !== undefined && b !== undefined && a.from <= b.to && b.from <= a.to;
}

export interface NaceMatch {
  score: number;
  level: 'class' | 'group' | 'division' | 'section';
  /** What the two codes have in common, for the rationale: 28.15, 28.1, 28 or the offered section's letter. */
  shared: string;
}

/**
 * Same class 1, same group 0.75, same division 0.5, same section 0.25 (codes: C, 28, 28.1, 28.15).
 * Classes, groups and divisions are compared by their digits whatever the revision: Rev. 2.1 kept most
 * numbers, and where it renumbered (groups of 46, 47, 62 and 63, e.g. 62.01 became 62.10; division 45
 * dissolved) a cross-revision pair scores by its digits only, a near miss rather than a mapping.
 */
export function naceProximity(requested: NaceCode, offered: NaceCode): NaceMatch | undefined {
  const a = requested.code;
  const b = offered.code;
  const numeric = (code: string) => /^\d/.test(code);
  if (numeric(a) && numeric(b)) {
    if (a.length === 5 && a === b) return { score: 1, level: 'class', shared: b };
    if (a.length >= 4 && b.length >= 4 && a.slice(0, 4) === b.slice(0, 4))
      return { score: 0.75, level: 'group', shared: b.slice(0, 4) };
    if (a.slice(0, 2) === b.slice(0, 2)) return { score: 0.5, level: 'division', shared: b.slice(0, 2) };
  }
  const section = sectionOf(offered);
  if (sameSection(sectionOf(requested), section))
    return { score: 0.25, level: 'section', shared: (section as NaceSection).letter };
  return undefined;
}
