/**
 * Inline commits: a small batch of appends, formed while the writer worker has nothing in
 * flight, is committed on the member's own thread through a second write connection
 * instead of crossing to the worker and back.
 *
 * Why: at one request in flight a write used to wait for two thread hand-offs (wake the
 * worker, wake the member thread with its reply), ~0.03 ms at the median and up to
 * ~0.2 ms in the tail on a busy 2-core machine — the difference between our write
 * latency and Apache's (docs/benchmarks.md F4). On a disk whose fsync is cheap a small
 * commit costs the event loop less than those hand-offs do.
 *
 * When not: the worker exists so that a slow fsync never stalls the event loop, and that
 * stays true. Big batches (load: the worker pipelines them while this thread keeps
 * serving), snapshots, truncation and purges (the worker's own bookkeeping), a simulated
 * slow disk, and — for a while — a disk on which inline commits turned out slow all go to
 * the worker. Order is kept because inline commits happen only
 * when no batch is in flight in the worker (the caller checks), and the group committer
 * settles batches in the order it formed them.
 *
 * Durability is the same as the worker's: the same SqliteWriter code, synchronous=FULL,
 * and the caller's promise resolves only after COMMIT returned. This connection never
 * runs SQLite's automatic checkpoint (it would copy ~4 MB on this thread every ~1 000
 * pages); it asks the worker for a checkpoint every CHECKPOINT_EVERY commits instead. That
 * one is a RESTART (a PASSIVE one racing the next commits would never let the WAL start
 * over: it grew by a frame per commit): while it runs the file is locked, so a batch
 * formed meanwhile finds it busy and goes to the worker, to be committed right after.
 */
import type { OpOutcome, StoreOp, StoreState } from './ops.js';
import { opWeight } from './ops.js';
import { SqliteWriter, WriterBusy } from './sqlite-writer.js';
import type { StorageLogger } from './contracts.js';
import type { StorePaths } from './store-paths.js';

/** At most this many ops, and this many bytes, in a batch committed inline. */
export const INLINE_MAX_OPS = 8;
export const INLINE_MAX_BYTES = 64 * 1024;
/**
 * When SLOW_OF_LAST of the last RECENT inline commits took longer than SLOW_COMMIT_MS, the
 * disk's fsync is one that should not block the event loop (one slow commit is not enough:
 * a cheap disk has the odd spike when a neighbour writes)…
 */
export const SLOW_COMMIT_MS = 2;
export const RECENT = 8;
export const SLOW_OF_LAST = 4;
/** …so inline commits stop for this long, then are tried again. */
export const SLOW_DISK_PAUSE_MS = 30_000;
/**
 * Inline commits between two checkpoint requests. Each writes one or two 4 KiB WAL frames,
 * so this is about SQLite's own cadence (wal_autocheckpoint = 1 000 pages), and the write
 * that meets a checkpoint and waits for it is one in 500.
 */
export const CHECKPOINT_EVERY = 500;

export interface InlineCommitsOptions {
  paths: StorePaths;
  logger: StorageLogger;
  /** Asks the worker for a checkpoint. */
  requestCheckpoint(): void;
  /** Default SLOW_COMMIT_MS (tests that count inline commits on a busy machine raise it). */
  slowCommitMs?: number;
  now?: () => number;
}

export class InlineCommits {
  private readonly writer: SqliteWriter;
  private readonly now: () => number;
  private pausedUntil = 0;
  /** One bit per recent inline commit, newest lowest: 1 = slower than SLOW_COMMIT_MS. */
  private recentSlow = 0;
  private sinceCheckpoint = 0;
  /** Commits made inline; and the times a slow commit paused them. */
  readonly stats = { commits: 0, slowPauses: 0 };

  constructor(private readonly opts: InlineCommitsOptions) {
    this.writer = new SqliteWriter(opts.paths, { fsyncDelayMs: 0, logger: opts.logger, side: true });
    this.now = opts.now ?? (() => performance.now());
  }

  /** Whether this batch may be committed inline (the caller also checks the worker is idle). */
  accepts(ops: readonly StoreOp[]): boolean {
    if (ops.length > INLINE_MAX_OPS || this.now() < this.pausedUntil) return false;
    let bytes = 0;
    for (const op of ops) {
      if (op.kind !== 'append' && op.kind !== 'setEpoch') return false;
      bytes += opWeight(op);
    }
    return bytes <= INLINE_MAX_BYTES;
  }

  /**
   * Commits the batch here; null when the file is busy (nothing written: send it to the
   * worker). Any other failure throws, and durability is then unknown, as with the worker.
   */
  commit(ops: readonly StoreOp[]): { outcomes: OpOutcome[]; state: StoreState } | null {
    const started = this.now();
    let result: { outcomes: OpOutcome[]; state: StoreState };
    try {
      result = this.writer.execute(ops);
    } catch (e) {
      if (e instanceof WriterBusy) return null;
      throw e;
    }
    const took = this.now() - started;
    this.recentSlow = ((this.recentSlow << 1) | (took > (this.opts.slowCommitMs ?? SLOW_COMMIT_MS) ? 1 : 0)) & ((1 << RECENT) - 1);
    if (countBits(this.recentSlow) >= SLOW_OF_LAST) {
      this.recentSlow = 0;
      this.pausedUntil = this.now() + SLOW_DISK_PAUSE_MS;
      this.stats.slowPauses++;
      this.opts.logger({
        level: 'info',
        code: 'inline-commits-paused',
        message: `${SLOW_OF_LAST} of the last ${RECENT} commits took over ${this.opts.slowCommitMs ?? SLOW_COMMIT_MS} ms (the last ${took.toFixed(1)} ms): commits go through the writer thread for the next ${SLOW_DISK_PAUSE_MS / 1000} s`,
      });
    }
    this.stats.commits++;
    if (++this.sinceCheckpoint >= CHECKPOINT_EVERY) {
      this.sinceCheckpoint = 0;
      this.opts.requestCheckpoint();
    }
    return result;
  }

  close(): void {
    this.writer.close();
  }
}

function countBits(n: number): number {
  let c = 0;
  for (; n !== 0; n &= n - 1) c++;
  return c;
}
