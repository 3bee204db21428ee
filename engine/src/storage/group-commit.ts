/**
 * Group commit (ZooKeeper's SyncRequestProcessor, style.md B4): everything submitted while
 * `maxInFlight` flushes are in flight waits and goes out together as the next batch.
 * So N concurrent writers share one fsync instead of paying N. With `maxInFlight` 1 (the
 * default) a batch is formed only when the previous one is durable; the SQLite store
 * allows more, because its writer merges batches that queue up behind a commit into the
 * next commit itself (sqlite-writer-worker.ts), and a batch handed over early saves the
 * hand-off time between two fsyncs. Batches always settle in the order they were formed.
 *
 * The first submit after an idle period does not flush at once: it waits for `schedule`
 * (setImmediate by default), so writes submitted in the same event-loop turn — a burst
 * of requests from several sockets — share the first flush too. Batches are capped (ops
 * and weight) so one flush never carries unbounded work, which keeps a big snapshot from
 * holding small appends back for long.
 *
 * Outcomes are per op: a soft failure rejects only its caller. A thrown flush (I/O
 * failure, worker death) fails the committer for good — that batch, everything queued
 * and every later submit reject with the same error, because nothing is known about
 * durability after a failed fsync.
 */
import { StorageError } from './errors.js';

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

export interface GroupCommitOptions<Op, R> {
  /** Writes one batch durably; one outcome per op, in order. */
  flush(batch: Op[]): Promise<Outcome<R>[]>;
  weight(op: Op): number;
  maxBatchOps: number;
  maxBatchWeight: number;
  /** Flushes allowed in flight at once (default 1). */
  maxInFlight?: number;
  /** How the first flush after idle is deferred (injectable for tests). */
  schedule?: (run: () => void) => void;
  /** Told when work starts and when the queue drains (e.g. to ref/unref a worker). */
  onBusyChange?: (busy: boolean) => void;
}

export interface GroupCommitStats {
  batches: number;
  ops: number;
  largestBatch: number;
}

interface Waiting<Op, R> {
  op: Op;
  resolve(value: R): void;
  reject(error: Error): void;
}

export class GroupCommitter<Op, R> {
  private queue: Waiting<Op, R>[] = [];
  /** Flushes started and not yet settled. */
  private flushing = 0;
  /** Settles when the newest flush has settled (each flush settles after the one before it). */
  private settledTail: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: Error | null = null;
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  readonly stats: GroupCommitStats = { batches: 0, ops: 0, largestBatch: 0 };

  constructor(private readonly opts: GroupCommitOptions<Op, R>) {}

  submit(op: Op): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        this.opts.onBusyChange?.(true);
      }
      this.kick();
    });
  }

  /** Ops waiting for a flush (not counting the one in flight). */
  get queued(): number {
    return this.queue.length;
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** Resolves when nothing is queued or in flight (immediately if so already). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses further submits with `error`; rejects what is queued (the in-flight batch finishes). */
  fail(error: Error): void {
    if (!this.failure) this.failure = error;
    const dropped = this.queue;
    this.queue = [];
    for (const w of dropped) w.reject(this.failure);
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.flushing === 0 && !this.scheduled && this.queue.length === 0;
  }

  private kick(): void {
    if (this.flushing >= (this.opts.maxInFlight ?? 1) || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    (this.opts.schedule ?? setImmediate)(() => {
      this.scheduled = false;
      void this.flushNext();
    });
  }

  private takeBatch(): Waiting<Op, R>[] {
    let weight = 0;
    let n = 0;
    while (n < this.queue.length && n < this.opts.maxBatchOps) {
      const w = this.opts.weight(this.queue[n]!.op);
      // Always take at least one op, however heavy.
      if (n > 0 && weight + w > this.opts.maxBatchWeight) break;
      weight += w;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private flushNext(): void {
    if (this.failure || this.queue.length === 0) {
      this.settleIdle();
      return;
    }
    const batch = this.takeBatch();
    this.flushing++;
    this.stats.batches++;
    this.stats.ops += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    let flushed: Promise<Outcome<R>[]>;
    try {
      flushed = this.opts.flush(batch.map((w) => w.op));
    } catch (e) {
      flushed = Promise.reject(e);
    }
    const previous = this.settledTail;
    this.settledTail = this.settle(batch, flushed, previous);
    // More room in flight: what is already queued can go too (it arrived in earlier turns).
    this.kick();
  }

  private async settle(batch: Waiting<Op, R>[], flushed: Promise<Outcome<R>[]>, previous: Promise<void>): Promise<void> {
    let outcomes: Outcome<R>[] | null = null;
    let error: Error | null = null;
    try {
      outcomes = await flushed;
      if (outcomes.length !== batch.length) {
        throw new StorageError('io', `flush returned ${outcomes.length} outcomes for ${batch.length} ops`);
      }
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    // In formation order, whatever order the flushes finished in.
    await previous;
    this.flushing--;
    if (error === null && this.failure !== null) error = this.failure;
    if (error !== null) {
      for (const w of batch) w.reject(error);
      this.fail(error);
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes![i]!;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.error);
    });
    if (this.queue.length > 0 && !this.scheduled) this.flushNext();
    else this.settleIdle();
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    if (this.busy) {
      this.busy = false;
      this.opts.onBusyChange?.(false);
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
