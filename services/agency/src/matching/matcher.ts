import type { Database } from '../db/database';
import { allCompanies } from '../store/directory';
import { DirectoryIndex } from './directory-index';

export interface MatchingSettings {
  mode: 'review' | 'auto';
  /** auto mode: how many candidates at most, and the lowest score worth proposing. */
  topN: number;
  threshold: number;
}

/** The directory index of one service, built at start and rebuilt after every import. */
export class Matcher {
  private index = DirectoryIndex.build([]);

  constructor(readonly settings: MatchingSettings) {}

  get current(): DirectoryIndex {
    return this.index;
  }

  async reload(db: Database): Promise<number> {
    this.index = DirectoryIndex.build(await allCompanies(db));
    return this.index.size;
  }
}
