/**
 * Strings numbered 0, 1, 2… in the order first seen, so that what a request needs to know about each
 * distinct value (its score, whether the request names it) fits in a typed array indexed by that number.
 */
export class Vocabulary {
  private readonly numbers = new Map<string, number>();
  private readonly values: string[] = [];

  get size(): number {
    return this.values.length;
  }

  /** The value's number, assigning the next one on first sight. */
  add(value: string): number {
    const known = this.numbers.get(value);
    if (known !== undefined) return known;
    this.numbers.set(value, this.values.length);
    this.values.push(value);
    return this.values.length - 1;
  }

  numberOf(value: string): number | undefined {
    return this.numbers.get(value);
  }

  valueAt(id: number): string {
    const value = this.values[id];
    if (value === undefined) throw new UnknownVocabularyIdError(id, this.values.length);
    return value;
  }
}

export class UnknownVocabularyIdError extends Error {
  constructor(id: number, size: number) {
    super(`vocabulary id ${id} is out of range (0..${size - 1})`);
    this.name = 'UnknownVocabularyIdError';
  }
}
