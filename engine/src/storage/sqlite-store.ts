/**
 * The member's DurableStore on SQLite (docs/storage.md).
 *
 *   member thread                          writer worker (sqlite-writer-worker.ts)
 *   ─────────────                          ───────────────────────────────────────
 *   append → encode + CRC → GroupCommitter ─ batch (one transferred buffer) ─► batches
 *   ◄──────────── resolve every op of the batch ◄── done + durable state ─── waiting
 *                                                                            → one txn
 *   read / latest / getters: own read-only connection + cached durable state + fsync
 *
 * Batches are handed over while earlier ones are still being committed (up to
 * MAX_BATCHES_IN_FLIGHT); the worker commits whatever waits together, so the disk is
 * never idle for the hand-off and each fsync still carries everything that arrived.
 *
 * Opening checks the layout and the WAL files (wal-inspect.ts) before SQLite touches
 * them, then starts the worker, which checks or creates the schema and drops snapshot
 * writes a crash cut short. The member then calls `recoverStore` (recover-store.ts).
 *
 * Consistency with pending writes: reads see durable state only (the reader sees
 * committed rows; `read` is clamped to `lastZxid()`, which advances when a batch's
 * reply arrives). Truncation is an op in the same FIFO as appends, so it waits for
 * in-flight flushes and applies exactly between the appends called before and after it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { TxnEntry } from '../tree/txn.js';
import type { DurableStore, PurgeResult, RecoveryInput, Snapshots, StableState, StorageLogger, TxnLog } from './contracts.js';
import { StorageError } from './errors.js';
import { createFacades, type Facades } from './facades.js';
import { GroupCommitter, type Outcome } from './group-commit.js';
import { opWeight, SNAPSHOT_CHUNK_BYTES, type StoreOp, type StoreState } from './ops.js';
import { SqliteReader } from './sqlite-reader.js';
import { checkLayout, storePaths, type StorePaths } from './store-paths.js';
import { describeWal, scanWal, walLosesCommits } from './wal-inspect.js';
import { inPieces } from './snapshot-verify.js';
import { packOps, type FromWorker, type ToWorker, type WireError, type WorkerConfig } from './writer-protocol.js';

export interface SqliteStoreOptions {
  dataDir: string;
  /** Where the txn log goes; default dataDir (then everything is one file). */
  dataLogDir?: string;
  /** Simulated slow disk: each flush takes at least this long. Default: env ZOOLAB_FSYNC_DELAY_MS, else 0. */
  fsyncDelayMs?: number;
  logger?: StorageLogger;
  /** Open even when the WAL holds committed transactions SQLite would drop after damage (data loss). */
  acceptWalLoss?: boolean;
  /** Group commit limits (defaults: 1000 ops — ZooKeeper's flush size — and 4 MiB). */
  maxBatchOps?: number;
  maxBatchBytes?: number;
  /** Snapshot chunk size (default 1 MiB). */
  chunkBytes?: number;
}

const WORKER_URL = new URL('./sqlite-writer-worker.js', import.meta.url);

/** Batches handed to the worker and not yet durable, at most (beyond that they wait and merge here). */
const MAX_BATCHES_IN_FLIGHT = 64;

export function fsyncDelayFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ZOOLAB_FSYNC_DELAY_MS;
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new StorageError('invalid', `ZOOLAB_FSYNC_DELAY_MS=${raw} is not a non-negative number`);
  return ms;
}

function toError(e: WireError): StorageError {
  return new StorageError(e.kind, e.message);
}

/** Checks both WAL files before SQLite opens them (and silently drops what it cannot use). */
function inspectWals(paths: StorePaths, logger: StorageLogger, acceptWalLoss: boolean): void {
  const files = paths.split ? [paths.logFile, paths.snapshotFile] : [paths.logFile];
  for (const file of files) {
    const wal = `${file}-wal`;
    if (!existsSync(wal)) continue;
    const scan = scanWal(readFileSync(wal));
    const finding = describeWal(wal, scan);
    if (!finding) continue;
    if (walLosesCommits(scan) && !acceptWalLoss) {
      throw new StorageError('corrupt', `${finding.message}; refusing to open (acknowledged writes would be lost; set acceptWalLoss to open anyway)`);
    }
    logger({ level: finding.level, code: walLosesCommits(scan) ? 'wal-corrupt' : 'wal-torn-tail', message: finding.message });
  }
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const logger = opts.logger ?? (() => undefined);
  const dataLogDir = opts.dataLogDir ?? opts.dataDir;
  mkdirSync(opts.dataDir, { recursive: true });
  mkdirSync(dataLogDir, { recursive: true });
  checkLayout(opts.dataDir, dataLogDir);
  const paths = storePaths(opts.dataDir, dataLogDir);
  inspectWals(paths, logger, opts.acceptWalLoss ?? false);

  const config: WorkerConfig = { paths, fsyncDelayMs: opts.fsyncDelayMs ?? fsyncDelayFromEnv() };
  const worker = new Worker(WORKER_URL, { workerData: config });
  const state = await new Promise<StoreState>((resolve, reject) => {
    const onMessage = (msg: FromWorker): void => {
      if (msg.type === 'report') logger(msg.report);
      else if (msg.type === 'ready') done(() => resolve(msg.state));
      else if (msg.type === 'open-failed') done(() => reject(toError(msg.error)));
    };
    const onError = (e: Error): void => done(() => reject(new StorageError('io', `writer worker failed to start: ${e.message}`, { cause: e })));
    const onExit = (code: number): void => done(() => reject(new StorageError('io', `writer worker exited (${code}) while opening`)));
    const done = (settle: () => void): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  let reader: SqliteReader;
  try {
    reader = new SqliteReader(paths);
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  return new SqliteStore(paths, worker, reader, state, logger, opts, config.fsyncDelayMs);
}

export class SqliteStore implements DurableStore {
  readonly log: TxnLog;
  readonly stable: StableState;
  readonly snapshots: Snapshots;
  private readonly facades: Facades;
  private readonly committer: GroupCommitter<StoreOp, PurgeResult | undefined>;
  private readonly replies = new Map<number, { resolve(msg: FromWorker): void; reject(e: Error): void }>();
  private nextBatchId = 1;
  /** Commits (= fsyncs per file) the worker made, the ops they carried, the most in one. */
  private readonly commits = { batches: 0, ops: 0, largestBatch: 0 };
  private closing: Promise<void> | null = null;
  private workerGone: Error | null = null;

  /** Use openSqliteStore. */
  constructor(
    readonly paths: StorePaths,
    private readonly worker: Worker,
    private readonly reader: SqliteReader,
    private cached: StoreState,
    private readonly logger: StorageLogger,
    opts: SqliteStoreOptions,
    readonly fsyncDelayMs: number,
  ) {
    this.committer = new GroupCommitter<StoreOp, PurgeResult | undefined>({
      flush: (ops) => this.flush(ops),
      weight: opWeight,
      maxBatchOps: opts.maxBatchOps ?? 1000,
      maxBatchWeight: opts.maxBatchBytes ?? 4 * 1024 * 1024,
      maxInFlight: MAX_BATCHES_IN_FLIGHT,
      // Keep the process alive only while writes are pending.
      onBusyChange: (busy) => (busy ? worker.ref() : worker.unref()),
    });
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (e) => this.onWorkerGone(new StorageError('io', `writer worker crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => this.onWorkerGone(new StorageError('closed', `writer worker exited (${code})`)));
    worker.unref();
    this.facades = createFacades({
      submit: (op) => this.committer.submit(op),
      state: () => this.cached,
      readRows: (after, upTo) => this.reader.readRows(after, upTo),
      latestSnapshot: () => this.reader.latest(this.logger),
      listSnapshots: () => this.reader.list(),
      streamOptions: { chunkBytes: opts.chunkBytes ?? SNAPSHOT_CHUNK_BYTES, awaitEachChunk: true },
    });
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
    const pieces = this.reader.latestPieces(this.logger);
    const snapshot = pieces === null ? null : inPieces(pieces);
    const rows = this.reader.readRows(snapshot?.zxid ?? 0n, this.cached.lastZxid);
    return { snapshot, rows, purgedThrough: this.cached.purgedThrough };
  }

  /** Group-commit counters: commits made (one fsync per file each), ops carried, the most ops in one commit. */
  stats(): { batches: number; ops: number; largestBatch: number } {
    return { ...this.commits };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.committer.whenIdle();
    this.committer.fail(new StorageError('closed', 'store is closed'));
    // The reader goes first, so the writer's close is the last one and can checkpoint the WAL away.
    this.reader.close();
    if (this.workerGone) return;
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ type: 'close' });
    await exited;
  }

  private post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private async flush(ops: StoreOp[]): Promise<Outcome<PurgeResult | undefined>[]> {
    if (this.workerGone) throw this.workerGone;
    const id = this.nextBatchId++;
    const packed = packOps(ops);
    const reply = new Promise<FromWorker>((resolve, reject) => this.replies.set(id, { resolve, reject }));
    this.post({ type: 'batch', id, ops: packed.ops, blob: packed.blob }, [packed.blob]);
    const msg = await reply;
    if (msg.type === 'failed') throw toError(msg.error);
    if (msg.type !== 'done') throw new StorageError('io', `unexpected reply ${msg.type} to batch ${id}`);
    this.cached = msg.state;
    if (msg.commitOps !== undefined) {
      this.commits.batches++;
      this.commits.ops += msg.commitOps;
      this.commits.largestBatch = Math.max(this.commits.largestBatch, msg.commitOps);
    }
    return msg.outcomes.map((o) =>
      o.ok ? { ok: true as const, value: o.purge } : { ok: false as const, error: new StorageError(o.kind, o.message) },
    );
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'report') {
      this.logger(msg.report);
      return;
    }
    if (msg.type === 'done' || msg.type === 'failed') {
      const waiting = this.replies.get(msg.id);
      this.replies.delete(msg.id);
      waiting?.resolve(msg);
    }
  }

  private onWorkerGone(error: StorageError): void {
    if (this.workerGone) return;
    this.workerGone = error;
    for (const [, waiting] of this.replies) waiting.reject(error);
    this.replies.clear();
    this.committer.fail(error);
  }
}
