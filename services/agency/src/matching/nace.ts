/** NACE Rev. 2 divisions by section (first two digits → section letter). */
const SECTION_BY_DIVISION: Array<[number, number, string]> = [
  [1, 3, 'A'],
  [5, 9, 'B'],
  [10, 33, 'C'],
  [35, 35, 'D'],
  [36, 39, 'E'],
  [41, 43, 'F'],
  [45, 47, 'G'],
  [49, 53, 'H'],
  [55, 56, 'I'],
  [58, 63, 'J'],
  [64, 66, 'K'],
  [68, 68, 'L'],
  [69, 75, 'M'],
  [77, 82, 'N'],
  [84, 84, 'O'],
  [85, 85, 'P'],
  [86, 88, 'Q'],
  [90, 93, 'R'],
  [94, 96, 'S'],
  [97, 98, 'T'],
  [99, 99, 'U'],
];

export function sectionOf(code: string): string | undefined {
  if (/^[A-Z]$/.test(code)) return code;
  const division = Number(code.slice(0, 2));
  return SECTION_BY_DIVISION.find(([from, to]) => division >= from && division <= to)?.[2];
}

export interface NaceMatch {
  score: number;
  level: 'class' | 'group' | 'division' | 'section';
  requested: string;
  offered: string;
}

/** Same class 1, same group 0.75, same division 0.5, same section 0.25 (codes: C, 28, 28.1, 28.15). */
export function naceProximity(requested: string, offered: string): NaceMatch | undefined {
  const numeric = (code: string) => /^\d/.test(code);
  if (numeric(requested) && numeric(offered)) {
    if (requested.length === 5 && requested === offered)
      return { score: 1, level: 'class', requested, offered };
    if (requested.length >= 4 && offered.length >= 4 && requested.slice(0, 4) === offered.slice(0, 4))
      return { score: 0.75, level: 'group', requested, offered };
    if (requested.slice(0, 2) === offered.slice(0, 2))
      return { score: 0.5, level: 'division', requested, offered };
  }
  const section = sectionOf(requested);
  if (section !== undefined && section === sectionOf(offered))
    return { score: 0.25, level: 'section', requested, offered };
  return undefined;
}
