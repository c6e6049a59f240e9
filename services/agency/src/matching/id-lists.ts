/**
 * A short list of integer ids for each of many owners (the terms of each company, say), packed into two
 * typed arrays: the ids of owner `o` are `ids[offsets[o]]` up to `ids[offsets[o + 1]]`. A hundred thousand
 * companies then cost two allocations instead of a hundred thousand small arrays for the GC to trace.
 */
export class IdLists {
  private constructor(
    readonly offsets: Int32Array,
    readonly ids: Int32Array,
  ) {}

  /** Packs the lists, dropping repeated ids within a list. */
  static pack(lists: ReadonlyArray<Iterable<number>>): IdLists {
    const distinct = lists.map((list) => [...new Set(list)]);
    const offsets = new Int32Array(distinct.length + 1);
    for (const [owner, list] of distinct.entries())
      offsets[owner + 1] = (offsets[owner] as number) + list.length;
    const ids = new Int32Array(offsets[distinct.length] as number);
    for (const [owner, list] of distinct.entries()) ids.set(list, offsets[owner]);
    return new IdLists(offsets, ids);
  }

  get owners(): number {
    return this.offsets.length - 1;
  }

  idsOf(owner: number): Int32Array {
    return this.ids.subarray(this.offsets[owner], this.offsets[owner + 1]);
  }

  /** The reverse lists: for each id below `idCount`, the owners whose list holds it, in owner order. */
  invert(idCount: number): IdLists {
    const owners: number[][] = Array.from({ length: idCount }, () => []);
    for (let owner = 0; owner < this.owners; owner += 1) {
      for (let k = this.offsets[owner] as number; k < (this.offsets[owner + 1] as number); k += 1)
        owners[this.ids[k] as number]?.push(owner);
    }
    return IdLists.pack(owners);
  }
}
