import { LANGUAGES, PARTNERSHIP_TYPES } from '@passport/events';
import type { DirectoryCompany } from '../directory/company';
import { EnumBits } from './enum-bits';
import { SIZE_ORDER } from './fast-score';
import { IdLists } from './id-lists';
import { sectionOf, type NaceCode, type NaceSection } from './nace';
import { NaceListSummaries } from './nace-list-summaries';
import { companyTerms } from './normalize';
import { Vocabulary } from './vocabulary';

export const PARTNERSHIP_BITS = new EnumBits(PARTNERSHIP_TYPES);
export const LANGUAGE_BITS = new EnumBits(LANGUAGES);

/** Product codes are only ever compared within one scheme and score nothing below two shared digits. */
const productKey = (scheme: string, code: string) => `${scheme} ${code}`;
export const productPrefixKey = (scheme: string, code: string) => `${scheme} ${code.slice(0, 2)}`;

/**
 * What a search reads about the companies, criterion by criterion, addressed by the company's position:
 * each distinct NACE code, product code, term and certification is numbered once, each company keeps
 * the numbers it has, and enums become bit masks. A request then scores a company with array reads only.
 */
export class CompiledDirectory {
  /** Numbered by code and revision: the same digits can sit in different sections of the two revisions. */
  readonly naceCodes = new Vocabulary();
  /** Per NACE number: the code's digits or letter, and its section in its own revision. */
  readonly naceDigits: string[] = [];
  readonly naceSections: Array<NaceSection | undefined> = [];
  readonly products = new Vocabulary();
  readonly productCodes: string[] = [];
  /** Product numbers by scheme and first two digits: the only ones a wanted code can score against. */
  readonly productsByPrefix = new Map<string, number[]>();
  readonly terms = new Vocabulary();
  readonly certifications = new Vocabulary();

  readonly naceOf: IdLists;
  /** The other way round: for each NACE number, the positions of the companies that have the code. */
  readonly companiesWithNace: IdLists;
  readonly productsOf: IdLists;
  readonly termsOf: IdLists;
  readonly certificationsOf: IdLists;
  readonly partnerships: Int32Array;
  readonly languages: Int32Array;
  /** Index in SIZE_ORDER, -1 when unknown. */
  readonly sizes: Int8Array;
  readonly naceSummaries: NaceListSummaries;

  /** The companies sorted by company id: a lower position wins a tie, and lists by position are in id order. */
  readonly companies: readonly DirectoryCompany[];

  constructor(companies: readonly DirectoryCompany[]) {
    this.companies = sortedByCompanyId(companies);
    this.naceOf = IdLists.pack(this.companies.map((c) => c.naceCodes.map((n) => this.addNace(n))));
    this.companiesWithNace = this.naceOf.invert(this.naceCodes.size);
    this.productsOf = IdLists.pack(this.companies.map((c) => c.products.map((p) => this.addProduct(p))));
    this.termsOf = IdLists.pack(
      this.companies.map((c) => [...companyTerms(c)].map((t) => this.terms.add(t))),
    );
    this.certificationsOf = IdLists.pack(
      this.companies.map((c) => c.certifications.map((name) => this.certifications.add(name.toLowerCase()))),
    );
    this.partnerships = Int32Array.from(this.companies, (c) => PARTNERSHIP_BITS.of(c.partnershipTypes));
    this.languages = Int32Array.from(this.companies, (c) => LANGUAGE_BITS.of(c.languages));
    this.sizes = Int8Array.from(this.companies, (c) => SIZE_ORDER.indexOf(c.sizeBand));
    this.naceSummaries = new NaceListSummaries(this);
  }

  get size(): number {
    return this.companies.length;
  }

  /** The company's terms as words again, for the rationale of a suggestion. */
  termWordsOf(position: number): Set<string> {
    return new Set(Array.from(this.termsOf.idsOf(position), (id) => this.terms.valueAt(id)));
  }

  private addNace(nace: NaceCode): number {
    const id = this.naceCodes.add(`${nace.revision} ${nace.code}`);
    if (id === this.naceSections.length) {
      this.naceDigits.push(nace.code);
      this.naceSections.push(sectionOf(nace));
    }
    return id;
  }

  private addProduct(product: { scheme: string; code: string }): number {
    const id = this.products.add(productKey(product.scheme, product.code));
    if (id === this.productCodes.length) {
      this.productCodes.push(product.code);
      const prefix = productPrefixKey(product.scheme, product.code);
      const ids = this.productsByPrefix.get(prefix) ?? [];
      ids.push(id);
      this.productsByPrefix.set(prefix, ids);
    }
    return id;
  }
}

/** In the order `localeCompare` sorts the ids, as the ranking always has; equal ids keep their order. */
function sortedByCompanyId(companies: readonly DirectoryCompany[]): DirectoryCompany[] {
  const { compare } = new Intl.Collator();
  return [...companies].sort((a, b) => compare(a.companyId, b.companyId));
}
