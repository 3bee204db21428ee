/**
 * The memory DurableStore for the simulator and unit tests. Writes queue up until the
 * owner says they reached the disk: `flush()` (or `flush(n)` for only the oldest n ops,
 * to explore partial durability), or automatically on a microtask with `autoFlush`.
 * `crash()` is kill -9 followed by reopening the files: queued ops are lost — their
 * promises never settle, because the process that awaited them is gone — and a snapshot
 * write cut short is discarded. Durable state lives in a MemoryDisk and survives.
 *
 * Deterministic: no clocks, no timers; promise callbacks run in microtask order.
 */
import type { TxnEntry } from '../tree/txn.js';
import type { DurableStore, PurgeResult, RecoveryInput, Snapshots, StableState, StorageLogger, TxnLog } from './contracts.js';
import { StorageError } from './errors.js';
import { createFacades, type Facades, type StoreBackend } from './facades.js';
import { MemoryDisk } from './memory-disk.js';
import type { StoreOp } from './ops.js';

export interface MemoryStoreOptions {
  /** Flush every queued op on a microtask after it was queued (no manual flush needed). */
  autoFlush?: boolean;
  logger?: StorageLogger;
  /** Snapshot chunk size; small values let tests interleave chunks with appends. */
  chunkBytes?: number;
}

interface Queued {
  op: StoreOp;
  resolve(value: PurgeResult | undefined): void;
  reject(error: Error): void;
}

export class MemoryStore implements DurableStore {
  readonly log: TxnLog;
  readonly stable: StableState;
  readonly snapshots: Snapshots;
  /** The durable image; exposed for inspection and for its damage hooks. */
  readonly disk = new MemoryDisk();
  private queue: Queued[] = [];
  private closed = false;
  private flushScheduled = false;
  private readonly logger: StorageLogger;
  private readonly facades: Facades;

  constructor(private readonly opts: MemoryStoreOptions = {}) {
    this.logger = opts.logger ?? (() => undefined);
    const backend: StoreBackend = {
      submit: (op) => this.submit(op),
      state: () => this.disk.state(),
      readRows: (after, upTo) => this.disk.readRows(after, upTo),
      latestSnapshot: () => this.disk.latest(this.logger),
      listSnapshots: () => this.disk.list(),
      streamOptions: { chunkBytes: opts.chunkBytes ?? Number.MAX_SAFE_INTEGER, awaitEachChunk: false },
    };
    this.facades = createFacades(backend);
    this.log = this.facades.log;
    this.stable = this.facades.stable;
    this.snapshots = this.facades.snapshots;
  }

  appendAndSetCurrentEpoch(entries: readonly TxnEntry[], currentEpoch: number): Promise<void> {
    return this.facades.appendAndSetCurrentEpoch(entries, currentEpoch);
  }

  installSnapshot(zxid: bigint, bytes: Buffer): Promise<void> {
    return this.facades.installSnapshot(zxid, bytes);
  }

  recoveryInput(): RecoveryInput {
    return this.disk.recoveryInput(this.logger);
  }

  /** Ops queued and not yet durable. */
  pending(): number {
    return this.queue.length;
  }

  /**
   * Makes the oldest `count` queued ops (default: all) durable, in order, and settles
   * their promises. Returns how many were flushed.
   */
  flush(count = Number.POSITIVE_INFINITY): number {
    const batch = this.queue.splice(0, Math.min(count, this.queue.length));
    for (const q of batch) {
      const outcome = this.disk.apply(q.op, this.logger);
      if (outcome.ok) q.resolve(outcome.purge);
      else q.reject(new StorageError(outcome.kind, outcome.message));
    }
    return batch.length;
  }

  /** kill -9 and reopen: queued ops vanish (their promises never settle); the disk stays. */
  crash(): void {
    this.queue = [];
    this.closed = false;
    this.disk.discardIncomplete(this.logger);
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
  }

  private submit(op: StoreOp): Promise<PurgeResult | undefined> {
    if (this.closed) return Promise.reject(new StorageError('closed', 'store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (this.opts.autoFlush && !this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }
}
