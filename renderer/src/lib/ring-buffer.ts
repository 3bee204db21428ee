/**
 * A bounded ring of items with strictly increasing sequence numbers (the lab's event
 * stream). Oldest items fall off when full; lookups by sequence number are binary
 * searches. Plain class, no reactivity: the events store bumps a version ref instead of
 * making thousands of events deeply reactive.
 */
export class SeqRing<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  private dropped = 0;

  constructor(
    readonly capacity: number,
    private readonly seqOf: (item: T) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Items pushed out by newer ones since creation. */
  get droppedCount(): number {
    return this.dropped;
  }

  get firstSeq(): number | null {
    return this.count === 0 ? null : this.seqOf(this.at(0)!);
  }

  get lastSeq(): number | null {
    return this.count === 0 ? null : this.seqOf(this.at(this.count - 1)!);
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  /**
   * Appends an item; returns false (and keeps nothing) when its seq is not newer than the
   * last one, so replays and overlapping catch-up pages are harmless.
   */
  push(item: T): boolean {
    const last = this.lastSeq;
    if (last !== null && this.seqOf(item) <= last) return false;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
      this.dropped++;
    }
    return true;
  }

  /** Index of the first item with seq >= `seq` (length when none). */
  lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqOf(this.at(mid)!) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  slice(from = 0, to = this.count): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.count); i++) out.push(this.at(i)!);
    return out;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.items.fill(undefined);
  }
}
