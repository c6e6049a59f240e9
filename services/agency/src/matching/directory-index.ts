import type { NeedsProfile } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { CompiledDirectory } from './compiled-directory';
import { explainedScore, type Suggestion } from './explained-score';
import { profileTerms } from './normalize';
import { RequestScorer } from './request-scorer';
import { TopK } from './top-k';

export type { Suggestion } from './explained-score';

/** Positions walked per step before checking whether the rest of a level can still make the result. */
const WINDOW = 512;

/**
 * An in-memory index of one agency's directory, rebuilt after each import. A search returns the best
 * companies among all those sharing at least a NACE section with the request, exactly, without scoring
 * most of them: companies are visited NACE level by level (class, group, division, section), and a NACE
 * code's companies are left alone once the weakest of the best found so far scores more than they could
 * reach at most.
 */
export class DirectoryIndex {
  private readonly scorer: RequestScorer;
  private readonly best: TopK;
  /** A company is visited in this search when its entry equals `visit`; no clearing between searches. */
  private readonly visited: Uint32Array;
  private visit = 0;
  /** NACE numbers of the loaded request, best scoring first; reused between searches. */
  private readonly naceOrder: Int32Array;
  /** Per entry of `naceOrder`: how far its list has been walked, and the most its companies can score. */
  private readonly cursors: Int32Array;
  private readonly listBounds: Float64Array;

  private constructor(private readonly directory: CompiledDirectory) {
    this.scorer = new RequestScorer(directory);
    this.best = new TopK();
    this.visited = new Uint32Array(directory.size);
    this.naceOrder = new Int32Array(directory.naceCodes.size);
    this.cursors = new Int32Array(directory.naceCodes.size);
    this.listBounds = new Float64Array(directory.naceCodes.size);
  }

  static build(companies: readonly DirectoryCompany[]): DirectoryIndex {
    return new DirectoryIndex(new CompiledDirectory(companies));
  }

  get size(): number {
    return this.directory.size;
  }

  /** Best matches first; ties broken by company id so the order is stable. */
  search(profile: NeedsProfile, limit = 10): Suggestion[] {
    const capacity = Math.min(Math.floor(limit), this.size);
    if (!(capacity > 0)) return [];
    const requestTerms = profileTerms(profile);
    this.scorer.load(profile, requestTerms);
    this.best.reset(capacity);
    this.collectBest();
    return this.best.drain().map((position) =>
      explainedScore(profile, requestTerms, {
        company: this.directory.companies[position] as DirectoryCompany,
        terms: this.directory.termWordsOf(position),
      }),
    );
  }

  /**
   * Offers the companies that could still make the result to the heap, NACE level by level. Each NACE
   * code's list (in company id order) has an upper bound for its companies; a level's lists are walked
   * side by side, a window of positions at a time, and a list is dropped once its bound cannot beat the
   * weakest kept company, or only ties it and the list has passed that company's position.
   */
  private collectBest(): void {
    const { naceScores } = this.scorer;
    const count = this.sortNaceByScore();
    for (let i = 0; i < count; i += 1) {
      const nace = this.naceOrder[i] as number;
      this.listBounds[i] = this.scorer.listBound(naceScores[nace] as number, nace);
    }
    const visit = this.nextVisit();
    for (let start = 0; start < count;) {
      const level = naceScores[this.naceOrder[start] as number] as number;
      let end = start + 1;
      while (end < count && naceScores[this.naceOrder[end] as number] === level) end += 1;
      this.collectLevel(start, end, visit);
      start = end;
    }
  }

  /** Walks the lists of `naceOrder[start..end)` while they may hold a company that makes the result. */
  private collectLevel(start: number, end: number, visit: number): void {
    const { offsets, ids } = this.directory.companiesWithNace;
    for (let i = start; i < end; i += 1) this.cursors[i] = offsets[this.naceOrder[i] as number] as number;
    for (let windowEnd = WINDOW, more = true; more; windowEnd += WINDOW) {
      more = false;
      for (let i = start; i < end; i += 1) {
        const last = offsets[(this.naceOrder[i] as number) + 1] as number;
        let k = this.cursors[i] as number;
        if (k === last || !this.best.admits(this.listBounds[i] as number, windowEnd - WINDOW)) continue;
        for (; k < last && (ids[k] as number) < windowEnd; k += 1) this.consider(ids[k] as number, visit);
        this.cursors[i] = k;
        more ||= k < last;
      }
    }
  }

  private consider(position: number, visit: number): void {
    if (this.visited[position] === visit) return;
    this.visited[position] = visit;
    if (!this.best.admits(this.scorer.boundWithoutTerms(position), position)) return;
    this.best.offer(position, this.scorer.withTerms(position));
  }

  /** Puts the NACE numbers scoring above 0 first in `naceOrder`, highest score first; returns how many. */
  private sortNaceByScore(): number {
    const { naceScores } = this.scorer;
    let count = 0;
    for (let nace = 0; nace < naceScores.length; nace += 1)
      if (naceScores[nace] as number) this.naceOrder[count++] = nace;
    this.naceOrder.subarray(0, count).sort((a, b) => (naceScores[b] as number) - (naceScores[a] as number));
    return count;
  }

  private nextVisit(): number {
    if (this.visit === 0xffffffff) {
      this.visited.fill(0);
      this.visit = 0;
    }
    this.visit += 1;
    return this.visit;
  }
}
