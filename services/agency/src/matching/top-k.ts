/**
 * The best `capacity` companies seen so far, as a heap of positions and scores with the weakest at the
 * root: a company that does not beat the weakest costs one comparison. "Better" is the ranking order:
 * higher score, then lower position (positions follow the company ids). The arrays grow when asked for
 * more and are otherwise reused from search to search.
 */
export class TopK {
  private positions = new Int32Array(64);
  private scores = new Float64Array(64);
  private count = 0;
  private capacity = 0;

  reset(capacity: number): void {
    this.count = 0;
    this.capacity = capacity;
    if (capacity > this.positions.length) {
      this.positions = new Int32Array(capacity);
      this.scores = new Float64Array(capacity);
    }
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** The score to beat once full. */
  get weakestScore(): number {
    return this.scores[0] as number;
  }

  /** Once full, a company with the weakest score gets in only from a lower position. */
  get weakestPosition(): number {
    return this.positions[0] as number;
  }

  /** Whether a company scoring `score` would be kept. */
  admits(score: number, position: number): boolean {
    return this.count < this.capacity || (this.capacity > 0 && this.beats(score, position, 0));
  }

  offer(position: number, score: number): void {
    if (this.count < this.capacity) {
      this.positions[this.count] = position;
      this.scores[this.count] = score;
      this.count += 1;
      this.siftUp(this.count - 1);
    } else if (this.capacity > 0 && this.beats(score, position, 0)) {
      this.positions[0] = position;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** The kept positions, best first; leaves the heap empty. */
  drain(): number[] {
    const best = new Array<number>(this.count);
    while (this.count > 0) {
      best[this.count - 1] = this.positions[0] as number;
      this.count -= 1;
      this.move(this.count, 0);
      this.siftDown(0);
    }
    return best;
  }

  private beats(score: number, position: number, slot: number): boolean {
    const other = this.scores[slot] as number;
    return score > other || (score === other && position < (this.positions[slot] as number));
  }

  private weaker(slot: number, than: number): boolean {
    return this.beats(this.scores[than] as number, this.positions[than] as number, slot);
  }

  private siftUp(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.weaker(slot, parent)) return;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private siftDown(slot: number): void {
    for (;;) {
      let weakest = slot;
      const left = 2 * slot + 1;
      if (left < this.count && this.weaker(left, weakest)) weakest = left;
      if (left + 1 < this.count && this.weaker(left + 1, weakest)) weakest = left + 1;
      if (weakest === slot) return;
      this.swap(slot, weakest);
      slot = weakest;
    }
  }

  private move(from: number, to: number): void {
    this.positions[to] = this.positions[from] as number;
    this.scores[to] = this.scores[from] as number;
  }

  private swap(a: number, b: number): void {
    const position = this.positions[a] as number;
    const score = this.scores[a] as number;
    this.move(b, a);
    this.positions[b] = position;
    this.scores[b] = score;
  }
}
