import { IdLists } from './id-lists';

/** Per-company facts a summary is built from, by position (the arrays of CompiledDirectory). */
export interface SummarisedFacts {
  companiesWithNace: IdLists;
  productsOf: IdLists;
  certificationsOf: IdLists;
  partnerships: Int32Array;
  languages: Int32Array;
  sizes: Int8Array;
}

/**
 * For each NACE code, what the companies having it offer between them: the partnership types and
 * languages (bit masks ORed), the size bands (bit `size + 1`, so unknown is bit 0), the distinct product
 * codes and certifications. A search bounds a whole NACE level with these, so a criterion that nobody
 * at that level can meet (a language nobody there speaks, a product nobody there makes) does not keep
 * it walking companies that can never reach the bound.
 */
export class NaceListSummaries {
  readonly partnerships: Int32Array;
  readonly languages: Int32Array;
  readonly sizes: Int32Array;
  readonly products: IdLists;
  readonly certifications: IdLists;

  constructor(facts: SummarisedFacts) {
    const lists = facts.companiesWithNace;
    const companiesByNace = Array.from({ length: lists.owners }, (_, nace) => Array.from(lists.idsOf(nace)));
    const union = (of: IdLists) =>
      IdLists.pack(companiesByNace.map((positions) => positions.flatMap((p) => [...of.idsOf(p)])));
    const orOf = (bits: (position: number) => number) =>
      Int32Array.from(companiesByNace, (positions) => positions.reduce((mask, p) => mask | bits(p), 0));
    this.partnerships = orOf((p) => facts.partnerships[p] as number);
    this.languages = orOf((p) => facts.languages[p] as number);
    this.sizes = orOf((p) => 1 << ((facts.sizes[p] as number) + 1));
    this.products = union(facts.productsOf);
    this.certifications = union(facts.certificationsOf);
  }
}
