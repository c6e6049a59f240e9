/**
 * The values of a small enum as bits of one integer, so "do the two lists share a value" is a bitwise
 * AND. Values outside the enum get no bit: they can match nothing a validated company offers anyway.
 */
export class EnumBits {
  private readonly bits = new Map<string, number>();

  constructor(values: readonly string[]) {
    if (values.length > 31) throw new EnumTooLargeForBitsError(values.length);
    for (const [index, value] of values.entries()) this.bits.set(value, 1 << index);
  }

  of(values: readonly string[]): number {
    let mask = 0;
    for (const value of values) mask |= this.bits.get(value) ?? 0;
    return mask;
  }
}

export class EnumTooLargeForBitsError extends Error {
  constructor(size: number) {
    super(`an enum of ${size} values does not fit the 31 bits of a small integer`);
    this.name = 'EnumTooLargeForBitsError';
  }
}
