import type { NeedsProfile } from '@passport/events';
import {
  LANGUAGE_BITS,
  PARTNERSHIP_BITS,
  productPrefixKey,
  type CompiledDirectory,
} from './compiled-directory';
import { naceScore, productScore, SIZE_ORDER, sizeScore, WEIGHTS, weightsOf } from './fast-score';
import { sectionOf, type NaceCode } from './nace';

/** The weights, read once: an imported binding is a property read on the module object at every use. */
const W = { ...WEIGHTS };

/** Per-criterion values of one company for one request, each in 0..1 (matched terms: a count). */
interface CriterionValues {
  nace: number;
  product: number;
  matchedTerms: number;
  partnership: number;
  language: number;
  size: number;
  certification: number;
}

/**
 * The score, rounded to three decimals. The weighted values are added in the order `explainedScore` adds
 * them (an absent criterion adds an exact zero), so both give the same floating-point result. It never
 * decreases when a value grows, which makes it usable for upper bounds as well. It lives here, next to
 * its only caller, so the per-company call is a plain local call that V8 inlines.
 */
function combinedScore(weights: number, values: CriterionValues): number {
  let total = W.nace * values.nace;
  total += W.products * values.product;
  total += W.keywords * Math.min(1, values.matchedTerms / 4);
  total += W.partnership * values.partnership;
  total += W.languages * values.language;
  total += W.size * values.size;
  total += W.certifications * values.certification;
  return Math.round((total / weights) * 1000) / 1000;
}

/**
 * Scores the companies of a compiled directory for one request at a time. Loading a request works out,
 * once per distinct NACE and product code of the directory, what that code scores for the request, and
 * marks the request's terms and certifications; scoring a company is then array reads and adds. The
 * tables are allocated once per directory and reused, so a request allocates nothing proportional to it.
 */
export class RequestScorer {
  /** Per NACE number: the code's best score against the request's sectors. */
  readonly naceScores: Float64Array;
  private readonly productScores: Float64Array;
  private readonly termFlags: Uint8Array;
  private readonly certificationFlags: Uint8Array;
  /** The entries set by the loaded request, cleared when the next one loads. */
  private readonly setProducts: number[] = [];
  private readonly setTerms: number[] = [];
  private readonly setCertifications: number[] = [];
  private readonly values: CriterionValues = {
    nace: 0,
    product: 0,
    matchedTerms: 0,
    partnership: 0,
    language: 0,
    size: 0,
    certification: 0,
  };
  private weights = 1;
  private partnershipBits = 0;
  private languageBits = 0;
  private sizeIndex = -1;
  /** The size score per company size index + 1 (0: unknown), filled per request. */
  private readonly sizeScores = new Float64Array(SIZE_ORDER.length + 1);

  constructor(private readonly directory: CompiledDirectory) {
    this.naceScores = new Float64Array(directory.naceCodes.size);
    this.productScores = new Float64Array(directory.products.size);
    this.termFlags = new Uint8Array(directory.terms.size);
    this.certificationFlags = new Uint8Array(directory.certifications.size);
  }

  /** `requestTerms`: the request's normalised terms, as `profileTerms` gives them. */
  load(profile: NeedsProfile, requestTerms: ReadonlySet<string>): void {
    this.clear();
    this.loadNace(profile.sectors);
    this.loadProducts(profile.productCodes);
    for (const term of requestTerms)
      this.flag(this.termFlags, this.setTerms, this.directory.terms.numberOf(term));
    for (const name of profile.firm.certifications)
      this.flag(
        this.certificationFlags,
        this.setCertifications,
        this.directory.certifications.numberOf(name.toLowerCase()),
      );
    this.weights = weightsOf(
      profile.productCodes.length > 0,
      requestTerms.size > 0,
      profile.firm.certifications.length > 0,
    );
    this.partnershipBits = PARTNERSHIP_BITS.of(profile.partnershipTypes);
    this.languageBits = LANGUAGE_BITS.of(profile.workingLanguages);
    this.sizeIndex = SIZE_ORDER.indexOf(profile.firm.sizeBand);
    for (let index = -1; index < SIZE_ORDER.length; index += 1)
      this.sizeScores[index + 1] = sizeScore(this.sizeIndex, index);
  }

  /** The company's score for the loaded request, equal to its explained score. */
  score(position: number): number {
    this.boundWithoutTerms(position);
    return this.withTerms(position);
  }

  /**
   * The most the company can score: every criterion exact except the shared terms, the one that costs a
   * loop over the company's terms, taken at the most the request allows.
   */
  boundWithoutTerms(position: number): number {
    const d = this.directory;
    const values = this.values;
    values.nace = this.highest(this.naceScores, d.naceOf.offsets, d.naceOf.ids, position);
    values.product = this.highest(this.productScores, d.productsOf.offsets, d.productsOf.ids, position);
    values.matchedTerms = this.setTerms.length;
    values.partnership = (d.partnerships[position] as number) & this.partnershipBits ? 1 : 0;
    values.language = (d.languages[position] as number) & this.languageBits ? 1 : 0;
    values.size = this.sizeScores[(d.sizes[position] as number) + 1] as number;
    values.certification = this.anyFlagged(
      this.certificationFlags,
      d.certificationsOf.offsets,
      d.certificationsOf.ids,
      position,
    );
    return combinedScore(this.weights, values);
  }

  /** The exact score of the company `boundWithoutTerms` was last called for. */
  withTerms(position: number): number {
    this.values.matchedTerms = this.matchedTerms(position);
    return combinedScore(this.weights, this.values);
  }

  /**
   * The most a company holding NACE number `naceId` can reach if its best NACE match scores `nace`: each
   * criterion at the best that some company holding that code offers.
   */
  listBound(nace: number, naceId: number): number {
    const { products, certifications, partnerships, languages, sizes } = this.directory.naceSummaries;
    const values = this.values;
    values.nace = nace;
    values.product = this.highest(this.productScores, products.offsets, products.ids, naceId);
    values.matchedTerms = this.setTerms.length;
    values.partnership = (partnerships[naceId] as number) & this.partnershipBits ? 1 : 0;
    values.language = (languages[naceId] as number) & this.languageBits ? 1 : 0;
    values.size = this.bestSizeScore(sizes[naceId] as number);
    values.certification = this.anyFlagged(
      this.certificationFlags,
      certifications.offsets,
      certifications.ids,
      naceId,
    );
    return combinedScore(this.weights, values);
  }

  private clear(): void {
    for (const id of this.setProducts) this.productScores[id] = 0;
    for (const id of this.setTerms) this.termFlags[id] = 0;
    for (const id of this.setCertifications) this.certificationFlags[id] = 0;
    this.setProducts.length = 0;
    this.setTerms.length = 0;
    this.setCertifications.length = 0;
  }

  private loadNace(wanted: readonly NaceCode[]): void {
    const sections = wanted.map(sectionOf);
    for (let id = 0; id < this.naceScores.length; id += 1) {
      const code = this.directory.naceDigits[id] as string;
      const section = this.directory.naceSections[id];
      let highest = 0;
      for (const [i, want] of wanted.entries())
        highest = Math.max(highest, naceScore(want.code, code, sections[i], section));
      this.naceScores[id] = highest;
    }
  }

  /** Only codes of the same scheme sharing the first two digits can score, so only those are compared. */
  private loadProducts(wanted: NeedsProfile['productCodes']): void {
    const { productsByPrefix, productCodes } = this.directory;
    for (const product of wanted) {
      for (const id of productsByPrefix.get(productPrefixKey(product.scheme, product.code)) ?? []) {
        const score = productScore(product, productCodes[id] as string);
        if (score <= (this.productScores[id] as number)) continue;
        if (this.productScores[id] === 0) this.setProducts.push(id);
        this.productScores[id] = score;
      }
    }
  }

  /** The best size score among the bands of `sizeBits` (bit `index + 1` per SIZE_ORDER index). */
  private bestSizeScore(sizeBits: number): number {
    let best = 0;
    for (let bit = 0; bit < this.sizeScores.length; bit += 1)
      if (sizeBits & (1 << bit)) best = Math.max(best, this.sizeScores[bit] as number);
    return best;
  }

  private flag(flags: Uint8Array, set: number[], id: number | undefined): void {
    if (id === undefined || flags[id] === 1) return;
    flags[id] = 1;
    set.push(id);
  }

  private highest(scores: Float64Array, offsets: Int32Array, ids: Int32Array, position: number): number {
    let highest = 0;
    for (let k = offsets[position] as number; k < (offsets[position + 1] as number); k += 1) {
      const score = scores[ids[k] as number] as number;
      if (score > highest) highest = score;
    }
    return highest;
  }

  /** Terms shared with the request, counted up to four: more add nothing to the score. */
  private matchedTerms(position: number): number {
    const { offsets, ids } = this.directory.termsOf;
    let matched = 0;
    for (let k = offsets[position] as number; k < (offsets[position + 1] as number) && matched < 4; k += 1)
      matched += this.termFlags[ids[k] as number] as number;
    return matched;
  }

  private anyFlagged(flags: Uint8Array, offsets: Int32Array, ids: Int32Array, position: number): number {
    for (let k = offsets[position] as number; k < (offsets[position + 1] as number); k += 1)
      if (flags[ids[k] as number] === 1) return 1;
    return 0;
  }
}
