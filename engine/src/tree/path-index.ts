/**
 * Path → slot lookup as an open-addressing hash table in an Int32Array (linear probing,
 * backward-shift deletion, no tombstones). A JS Map costs ~37 bytes per entry; this
 * costs ~12 (a table cell at ≤ 50% load plus a cached hash per slot), which matters at
 * a million znodes. Keys are compared against the store's path strings, so the table
 * holds no strings of its own.
 */

/**
 * FNV-1a over UTF-16 code units, finished with murmur3's avalanche: paths differ mostly
 * in their last characters, and linear probing needs well-mixed low bits.
 */
export function hashPath(path: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class PathIndex {
  /** slot + 1 per cell; 0 = empty. */
  private table = new Int32Array(128);
  private mask = 127;
  private count = 0;
  /** The hash of each indexed slot's path (so resizing and deletion never rehash strings). */
  private hashes = new Int32Array(64);

  constructor(private readonly paths: (string | undefined)[]) {}

  get size(): number {
    return this.count;
  }

  /** The slot holding `path`, or -1. */
  get(path: string): number {
    const paths = this.paths;
    const table = this.table;
    let i = hashPath(path) & this.mask;
    for (;;) {
      const cell = table[i]!;
      if (cell === 0) return -1;
      if (paths[cell - 1] === path) return cell - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** Indexes `slot` under its path; throws if another slot already holds that path. */
  add(slot: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.resize(this.table.length * 2);
    if (slot >= this.hashes.length) {
      let n = this.hashes.length * 2;
      while (n <= slot) n *= 2;
      const h = new Int32Array(n);
      h.set(this.hashes);
      this.hashes = h;
    }
    const path = this.paths[slot]!;
    const hash = hashPath(path);
    const table = this.table;
    let i = hash & this.mask;
    for (let cell = table[i]!; cell !== 0; cell = table[i]!) {
      if (this.paths[cell - 1] === path) throw new Error(`duplicate znode ${path}`);
      i = (i + 1) & this.mask;
    }
    table[i] = slot + 1;
    this.hashes[slot] = hash;
    this.count++;
  }

  /** Removes `slot` (indexed under its current path). */
  remove(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = this.hashes[slot]! & mask;
    while (table[i] !== slot + 1) {
      if (table[i] === 0) throw new Error(`slot ${slot} is not indexed`);
      i = (i + 1) & mask;
    }
    table[i] = 0;
    this.count--;
    // Backward shift: pull later cells of the probe run into the hole when their home allows it.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const cell = table[j]!;
      if (cell === 0) return;
      const home = this.hashes[cell - 1]! & mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      table[i] = cell;
      table[j] = 0;
      i = j;
    }
  }

  /** Sizes the table for `n` entries up front (snapshot restore). */
  reserve(n: number): void {
    let size = this.table.length;
    while (n * 2 > size) size *= 2;
    if (size !== this.table.length) this.resize(size);
  }

  private place(slot: number, hash: number): void {
    const table = this.table;
    let i = hash & this.mask;
    while (table[i] !== 0) i = (i + 1) & this.mask;
    table[i] = slot + 1;
  }

  private resize(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const cell = old[i]!;
      if (cell !== 0) this.place(cell - 1, this.hashes[cell - 1]!);
    }
  }
}
