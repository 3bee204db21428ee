/**
 * A member's in-memory view of its transaction log: the entries after `base`, continuous
 * (zab.md §1.4: counters consecutive within an epoch, a new epoch starts at counter 1),
 * split by `committed` into the committed window the leader syncs learners from
 * (LearnerHandler's committedLog, zab.md §3.3) and the logged tail not yet known to be
 * committed. The window keeps at least `windowSize` committed entries.
 */
import type { TxnEntry } from '../tree/txn.js';
import { counterOf, epochOf, zxidLabel } from '../jute/zxid.js';

/** True if `next` may directly follow `prev` in a log (ZOOKEEPER-4925: no holes). */
export function isNextZxid(prev: bigint, next: bigint): boolean {
  if (next === prev + 1n) return counterOf(next) !== 0; // the common case, cheaply
  const pe = epochOf(prev);
  const ne = epochOf(next);
  if (ne === pe) return counterOf(next) === counterOf(prev) + 1;
  return ne > pe && counterOf(next) === 1;
}

export class History {
  private items: TxnEntry[] = [];
  /** Index of the first live entry in `items` (entries before it were trimmed). */
  private start = 0;
  /** The zxid just before the first entry: a snapshot point or the last trimmed entry. */
  base: bigint;
  /** Highest zxid known to be committed; base ≤ committed ≤ last(). */
  committed: bigint;

  constructor(base: bigint, entries: readonly TxnEntry[] = []) {
    this.base = base;
    this.committed = base;
    for (const e of entries) {
      const err = this.append(e);
      if (err) throw new Error(`log is not continuous: ${err}`);
    }
  }

  get size(): number {
    return this.items.length - this.start;
  }

  /** The last logged zxid (base when empty). */
  last(): bigint {
    return this.size === 0 ? this.base : this.items[this.items.length - 1]!.zxid;
  }

  /** Appends one entry; returns an error text (and changes nothing) if it is not the next zxid. */
  append(entry: TxnEntry): string | null {
    const prev = this.last();
    if (!isNextZxid(prev, entry.zxid)) return `${zxidLabel(entry.zxid)} cannot follow ${zxidLabel(prev)}`;
    this.items.push(entry);
    return null;
  }

  /** Index in `items` of the entry with this zxid, or -1. */
  private indexOf(zxid: bigint): number {
    let lo = this.start;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const z = this.items[mid]!.zxid;
      if (z === zxid) return mid;
      if (z < zxid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first entry with zxid > `zxid`. */
  private firstAbove(zxid: bigint): number {
    let lo = this.start;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.zxid <= zxid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(zxid: bigint): boolean {
    return this.indexOf(zxid) >= 0;
  }

  get(zxid: bigint): TxnEntry | undefined {
    const i = this.indexOf(zxid);
    return i >= 0 ? this.items[i] : undefined;
  }

  /** Entries with after < zxid ≤ upTo, in order. */
  range(after: bigint, upTo: bigint = this.last()): TxnEntry[] {
    const out: TxnEntry[] = [];
    for (let i = this.firstAbove(after); i < this.items.length; i++) {
      const e = this.items[i]!;
      if (e.zxid > upTo) break;
      out.push(e);
    }
    return out;
  }

  /** The first entry with zxid > `zxid`, if any. */
  nextAfter(zxid: bigint): TxnEntry | undefined {
    return this.items[this.firstAbove(zxid)];
  }

  /** The largest entry zxid below `zxid` (or base if none is). */
  floorBelow(zxid: bigint): bigint {
    const i = this.firstAbove(zxid - 1n) - 1;
    return i >= this.start ? this.items[i]!.zxid : this.base;
  }

  /** Marks everything up to `zxid` committed (never moves backwards). */
  commitTo(zxid: bigint): void {
    if (zxid > this.last()) throw new Error(`cannot commit ${zxidLabel(zxid)} beyond the log end ${zxidLabel(this.last())}`);
    if (zxid > this.committed) this.committed = zxid;
  }

  /** Removes entries above `zxid`; refuses to remove a committed one (zab.md §8, TRUNC). */
  truncateAfter(zxid: bigint): number {
    if (zxid < this.committed) throw new Error(`TRUNC to ${zxidLabel(zxid)} would remove committed ${zxidLabel(this.committed)}`);
    if (zxid < this.base) throw new Error(`TRUNC to ${zxidLabel(zxid)} is below the snapshot point ${zxidLabel(this.base)}`);
    const cut = this.firstAbove(zxid);
    const removed = this.items.length - cut;
    this.items.length = cut;
    return removed;
  }

  /** Replaces everything with a snapshot taken at `zxid` (SNAP): empty, committed up to it. */
  resetTo(zxid: bigint): void {
    this.items = [];
    this.start = 0;
    this.base = zxid;
    this.committed = zxid;
  }

  /** Drops committed entries ≤ `appliedUpTo` beyond the newest `windowSize` committed ones. */
  trim(windowSize: number, appliedUpTo: bigint): void {
    const limit = this.firstAbove(appliedUpTo < this.committed ? appliedUpTo : this.committed);
    const keepFrom = Math.min(limit, this.firstAbove(this.committed) - windowSize);
    if (keepFrom <= this.start) return;
    this.base = this.items[keepFrom - 1]!.zxid;
    this.start = keepFrom;
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }
}
