/**
 * Compact storage for znodes: a struct of arrays indexed by a slot number, instead of
 * one JS object per znode. Numbers live in typed arrays (zxids and times as float64 —
 * exact below 2^53, i.e. for epochs below 2^21 — counters as int32, the 64-bit
 * ephemeralOwner as two int32 halves, the children as an intrusive doubly linked list);
 * each znode's path and data sit in two plain arrays. Data is kept as a latin1 "byte string" (one byte per char): a
 * 100-byte value costs ~120 bytes on the heap, far less than a Buffer object.
 *
 * Slots freed by deletes are recycled, except while a snapshot is being taken
 * (`freezeRecycling`): the incremental snapshot walks slots below the high-water mark
 * it started with, so a slot must not change identity under it.
 *
 * This file only stores; data-tree.ts gives the fields their meaning.
 */

const INITIAL_CAPACITY = 64;

export class NodeStore {
  capacity = INITIAL_CAPACITY;
  /** Slots in [0, highWater) have been used at least once. */
  highWater = 0;
  /** Number of live slots. */
  live = 0;

  czxid = new Float64Array(INITIAL_CAPACITY);
  mzxid = new Float64Array(INITIAL_CAPACITY);
  pzxid = new Float64Array(INITIAL_CAPACITY);
  ctime = new Float64Array(INITIAL_CAPACITY);
  mtime = new Float64Array(INITIAL_CAPACITY);
  version = new Int32Array(INITIAL_CAPACITY);
  /** The internal child counter: number of child creates ever (§10.2, §11). */
  cversion = new Int32Array(INITIAL_CAPACITY);
  aversion = new Int32Array(INITIAL_CAPACITY);
  aclId = new Int32Array(INITIAL_CAPACITY);
  ownerHi = new Int32Array(INITIAL_CAPACITY);
  ownerLo = new Int32Array(INITIAL_CAPACITY);
  /** Path+data hash, two lanes per slot (digest.ts). */
  pathDataHash = new Uint32Array(2 * INITIAL_CAPACITY);
  /** Children as a linked list of slot+1 values (0 = none), and their count. */
  firstChild = new Int32Array(INITIAL_CAPACITY);
  nextSibling = new Int32Array(INITIAL_CAPACITY);
  prevSibling = new Int32Array(INITIAL_CAPACITY);
  childCount = new Int32Array(INITIAL_CAPACITY);

  /** `undefined` marks a free slot. */
  readonly paths: (string | undefined)[] = [];
  readonly data: (string | null)[] = [];

  private readonly free: number[] = [];
  private recyclingFrozen = false;
  private readonly freedWhileFrozen: number[] = [];

  /** A fresh slot with zeroed numbers, or one recycled from a delete. */
  allocate(path: string): number {
    let slot = this.recyclingFrozen ? undefined : this.free.pop();
    if (slot === undefined) {
      slot = this.highWater++;
      if (slot >= this.capacity) this.grow();
      this.paths.push(path);
      this.data.push(null);
    } else {
      this.paths[slot] = path;
      this.data[slot] = null;
      this.zero(slot);
    }
    this.live++;
    return slot;
  }

  release(slot: number): void {
    this.paths[slot] = undefined;
    this.data[slot] = null;
    this.live--;
    (this.recyclingFrozen ? this.freedWhileFrozen : this.free).push(slot);
  }

  isLive(slot: number): boolean {
    return this.paths[slot] !== undefined;
  }

  /** Puts `child` first in `parent`'s child list. */
  link(parent: number, child: number): void {
    const first = this.firstChild[parent]!;
    this.nextSibling[child] = first;
    this.prevSibling[child] = 0;
    if (first !== 0) this.prevSibling[first - 1] = child + 1;
    this.firstChild[parent] = child + 1;
    this.childCount[parent]!++;
  }

  unlink(parent: number, child: number): void {
    const prev = this.prevSibling[child]!;
    const next = this.nextSibling[child]!;
    if (prev === 0) this.firstChild[parent] = next;
    else this.nextSibling[prev - 1] = next;
    if (next !== 0) this.prevSibling[next - 1] = prev;
    this.nextSibling[child] = 0;
    this.prevSibling[child] = 0;
    this.childCount[parent]!--;
  }

  /** Stops slot reuse (a snapshot is walking the slots); returns the current high-water mark. */
  freezeRecycling(): number {
    if (this.recyclingFrozen) throw new Error('slot recycling is already frozen (a snapshot is in progress)');
    this.recyclingFrozen = true;
    return this.highWater;
  }

  thawRecycling(): void {
    this.recyclingFrozen = false;
    for (const s of this.freedWhileFrozen) this.free.push(s);
    this.freedWhileFrozen.length = 0;
  }

  /** Makes room for at least `n` slots up front (snapshot restore knows the count). */
  reserve(n: number): void {
    let size = this.capacity;
    while (size < n) size *= 2;
    if (size !== this.capacity) this.grow(size);
  }

  private zero(slot: number): void {
    this.czxid[slot] = 0;
    this.mzxid[slot] = 0;
    this.pzxid[slot] = 0;
    this.ctime[slot] = 0;
    this.mtime[slot] = 0;
    this.version[slot] = 0;
    this.cversion[slot] = 0;
    this.aversion[slot] = 0;
    this.aclId[slot] = 0;
    this.ownerHi[slot] = 0;
    this.ownerLo[slot] = 0;
    this.pathDataHash[2 * slot] = 0;
    this.pathDataHash[2 * slot + 1] = 0;
    this.firstChild[slot] = 0;
    this.nextSibling[slot] = 0;
    this.prevSibling[slot] = 0;
    this.childCount[slot] = 0;
  }

  private grow(n = this.capacity * 2): void {
    this.czxid = growF64(this.czxid, n);
    this.mzxid = growF64(this.mzxid, n);
    this.pzxid = growF64(this.pzxid, n);
    this.ctime = growF64(this.ctime, n);
    this.mtime = growF64(this.mtime, n);
    this.version = growI32(this.version, n);
    this.cversion = growI32(this.cversion, n);
    this.aversion = growI32(this.aversion, n);
    this.aclId = growI32(this.aclId, n);
    this.ownerHi = growI32(this.ownerHi, n);
    this.ownerLo = growI32(this.ownerLo, n);
    this.firstChild = growI32(this.firstChild, n);
    this.nextSibling = growI32(this.nextSibling, n);
    this.prevSibling = growI32(this.prevSibling, n);
    this.childCount = growI32(this.childCount, n);
    const h = new Uint32Array(2 * n);
    h.set(this.pathDataHash);
    this.pathDataHash = h;
    this.capacity = n;
  }
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
