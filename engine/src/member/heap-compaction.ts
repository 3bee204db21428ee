/**
 * Gives memory back after a burst of work, once the member is idle.
 *
 * Why: a busy member promotes short-lived request garbage into V8's old generation,
 * mixed in with the long-lived znode strings; V8 then keeps tens of MiB of half-empty
 * pages committed (docs/performance.md: 100 000 znodes, heap 62 → 27 MiB). V8's own
 * memory reducer does shrink it, but only ~8–16 s after the allocation rate drops
 * (it waits 8 s, and re-waits 8 s while it still sees a high rate). We do the same thing
 * sooner: when nothing arrived and nothing was applied for about a second, and the heap
 * has grown well past its size after the last compaction, run one compacting full GC.
 *
 * The pause is one full GC (~0.1 s at 100 000 znodes, docs/performance.md), taken only
 * when no client request is waiting. Clocks and the heap are injected, so the policy is
 * tested on manual time (test/unit/member-heap-compaction.test.ts).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Timers } from '../server/timers.js';
import type { Logger } from '../server/log.js';

/** What the policy needs from the JavaScript heap. */
export interface CompactableHeap {
  /** Bytes the heap currently holds from the OS (V8 pages + ArrayBuffer memory). */
  committedBytes(): number;
  /** One full, compacting garbage collection (synchronous). */
  compact(): void;
}

export interface HeapCompactionOptions {
  heap: CompactableHeap;
  timers: Timers;
  /** A number that changes whenever the member does work (requests received, txns applied, snapshots). */
  activity(): number;
  log: Logger;
  /** How often to look (default 500 ms). */
  checkEveryMs?: number;
  /** Consecutive quiet checks before compacting (default 2: about a second of quiet). */
  quietChecks?: number;
  /** Growth over the post-compaction size that makes a compaction worth it (default 16 MiB)... */
  minGrowthBytes?: number;
  /** ...and at least this fraction of it (default 0.25), so big trees are not compacted for small gains. */
  minGrowthRatio?: number;
}

const MiB = 1024 * 1024;

export class IdleHeapCompactor {
  private lastActivity = Number.NaN;
  private quiet = 0;
  /**
   * The committed size after the last compaction. It starts at 0, so the garbage that
   * startup leaves behind (snapshot bytes, replayed log) goes at the first quiet second.
   */
  private baseline = 0;
  /** Compactions done (for tests and logs). */
  compactions = 0;

  constructor(private readonly opts: HeapCompactionOptions) {}

  /** Starts watching; returns the function that stops it. */
  start(): () => void {
    return this.opts.timers.every(this.opts.checkEveryMs ?? 500, () => this.check());
  }

  /** One look (the timer calls it; exposed for tests). */
  check(): void {
    const activity = this.opts.activity();
    if (activity !== this.lastActivity) {
      this.lastActivity = activity;
      this.quiet = 0;
      return;
    }
    this.quiet++;
    if (this.quiet !== (this.opts.quietChecks ?? 2)) return;
    const before = this.opts.heap.committedBytes();
    const growth = before - this.baseline;
    if (growth < (this.opts.minGrowthBytes ?? 16 * MiB) || growth < this.baseline * (this.opts.minGrowthRatio ?? 0.25)) return;
    const started = this.opts.timers.monotonic();
    this.opts.heap.compact();
    this.compactions++;
    this.baseline = this.opts.heap.committedBytes();
    const ms = Math.round(this.opts.timers.monotonic() - started);
    this.opts.log.info(`idle: heap compacted from ${(before / MiB).toFixed(0)} to ${(this.baseline / MiB).toFixed(0)} MiB in ${ms} ms`);
  }
}

/**
 * The real V8 heap. `gc` is reached the documented-flag way (`--expose-gc` set at run
 * time, then fetched from a fresh context), so no command-line flag is needed;
 * `--compact-on-every-full-gc` is switched on only for our own collection, so V8's
 * ordinary full GCs keep their cheaper heuristics.
 */
export function v8Heap(): CompactableHeap {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return {
    committedBytes() {
      const h = getHeapStatistics();
      return h.total_physical_size + process.memoryUsage().arrayBuffers;
    },
    compact() {
      setFlagsFromString('--compact-on-every-full-gc');
      try {
        gc();
      } finally {
        setFlagsFromString('--no-compact-on-every-full-gc');
      }
    },
  };
}
