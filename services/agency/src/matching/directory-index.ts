import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { explainedScore, type Suggestion } from './explained-score';
import { sectionOf } from './nace';
import { fastScore, prepareCompany, prepareRequest, type PreparedCompany } from './fast-score';
import { profileTerms, termSet } from './normalize';

export type { Suggestion } from './explained-score';

type Indexed = PreparedCompany;

/** Bucket keys of a NACE code from the narrowest level to the widest: group (28.1), division (28), section (C). */
function levels(code: string): Array<string | undefined> {
  const numeric = /^\d/.test(code);
  return [
    numeric && code.length >= 4 ? `g:${code.slice(0, 4)}` : undefined,
    numeric ? `d:${code.slice(0, 2)}` : undefined,
    `s:${sectionOf(code) ?? ''}`,
  ];
}

/**
 * An in-memory index of one agency's directory, rebuilt after each import. Companies are bucketed by NACE
 * group, division and section; a search scores the request's groups first and widens to divisions and
 * sections only while it has fewer suggestions than asked for, so a request scores a few thousand
 * companies rather than a whole manufacturing section.
 */
export class DirectoryIndex {
  private readonly buckets = new Map<string, Indexed[]>();

  private constructor(readonly size: number) {}

  static build(companies: readonly DirectoryCompany[]): DirectoryIndex {
    const index = new DirectoryIndex(companies.length);
    for (const [position, company] of companies.entries()) {
      const entry = prepareCompany(
        company,
        termSet([...company.keywords, ...Object.values(company.descriptions)]),
        position,
      );
      const keys = new Set(
        company.naceCodes.flatMap((n) => levels(n.code)).filter((key): key is string => key !== undefined),
      );
      for (const key of keys) {
        const bucket = index.buckets.get(key) ?? [];
        bucket.push(entry);
        index.buckets.set(key, bucket);
      }
    }
    return index;
  }

  /** Best matches first; ties broken by company id so the order is stable. */
  search(profile: NeedsProfile, limit = 10): Suggestion[] {
    const requestTerms = profileTerms(profile);
    const request = prepareRequest(profile, requestTerms);
    const seen = new Uint8Array(this.size);
    const results: Array<{ entry: Indexed; value: number }> = [];
    for (let level = 0; level < 3 && results.length < limit; level += 1) {
      for (const key of new Set(profile.sectors.map((s) => levels(s.code)[level]))) {
        for (const entry of key === undefined ? [] : (this.buckets.get(key) ?? [])) {
          if (seen[entry.position] === 1) continue;
          seen[entry.position] = 1;
          const value = fastScore(request, entry);
          if (value > 0) results.push({ entry, value });
        }
      }
    }
    return results
      .sort((a, b) => b.value - a.value || a.entry.company.companyId.localeCompare(b.entry.company.companyId))
      .slice(0, limit)
      .map(({ entry }) => explainedScore(profile, requestTerms, entry));
  }
}
