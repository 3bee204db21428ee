/**
 * Persistence, as three narrow contracts (hashicorp/raft's log.go + stable.go, see
 * style.md B4) bundled in one `DurableStore` per member. Each has a SQLite implementation
 * for members (sqlite-store.ts) and a memory implementation for the simulator
 * (memory-store.ts). Nothing in tree/, server/prep or quorum/ calls these directly:
 * drivers do, and only after a write resolves may its effects be announced (an ACK, a
 * client reply). docs/storage.md describes the files, pragmas and recovery rules.
 *
 * RULES SHARED BY BOTH IMPLEMENTATIONS
 *
 * - One write queue per store. Every write (append, truncate, epoch, snapshot, purge)
 *   takes effect in the order it was called, across the three facades. A write's promise
 *   resolves once it and everything called before it is durable (fsynced).
 * - Group commit: writes that arrive while a flush is under way go into the next flush
 *   (one SQLite transaction + one fsync per batch).
 * - Reads and getters (`read`, `lastZxid`, `acceptedEpoch`, `latest`, ...) see durable
 *   state only: a member never reports a state its disk does not hold (zab.md §1.3).
 *   An entry whose append has not resolved yet may or may not be visible to `read`, but
 *   `read` never returns anything above `lastZxid()`.
 * - After a write fails (I/O error, closed store) the store is failed: every pending and
 *   later write rejects with the same error. Durability is unknown after a failed fsync,
 *   so the member must stop and recover from disk.
 */
import type { TxnEntry } from '../tree/txn.js';

export interface TxnLog {
  /**
   * Appends entries; zxids must increase (across calls too) and have a non-zero counter
   * (zab.md §1.4). Resolves once they are durable. Bad input rejects at once and nothing
   * is written.
   */
  append(entries: readonly TxnEntry[]): Promise<void>;
  /** Durable entries with zxid > `after` (and ≤ `upTo` when given), in order. Checksums verified. */
  read(after: bigint, upTo?: bigint): TxnEntry[];
  /**
   * Removes every entry with zxid > `zxid` (ZAB TRUNC, zab.md §3.3/§3.4; never below the
   * committed point — the caller's rule) together with every snapshot taken above it,
   * and abandons snapshot writes above it. Rejects when history at or below `zxid` was
   * purged (nothing could then rebuild the state at `zxid`). Resolves when durable;
   * appends called afterwards must be above `zxid`.
   */
  truncateAfter(zxid: bigint): Promise<void>;
  /** The last durable logged zxid, or 0n when the log is empty. */
  lastZxid(): bigint;
  /** The first zxid still in the log (after purging), or 0n when empty. */
  firstZxid(): bigint;
}

export type EpochName = 'acceptedEpoch' | 'currentEpoch';

/** ZAB's two persisted epochs (zab.md §1.3). A fresh store holds 0 and 0. */
export interface StableState {
  acceptedEpoch(): number;
  currentEpoch(): number;
  /** Resolves when durable; the getter changes only then. */
  setAcceptedEpoch(epoch: number): Promise<void>;
  setCurrentEpoch(epoch: number): Promise<void>;
}

export interface SnapshotInfo {
  zxid: bigint;
  /** Serialized database (tree + sessions), as produced by the tree's serializer. Opaque here. */
  readonly bytes: Buffer;
  /**
   * The same bytes in the pieces the store keeps them in, read as they are iterated (each
   * iteration reads them again), when it keeps pieces: loading from these avoids holding
   * a snapshot of hundreds of MB in memory at once.
   */
  readonly chunks?: Iterable<Buffer>;
}

/** A stored, complete snapshot as listed (checksum not verified by listing). */
export interface SnapshotMeta {
  zxid: bigint;
  size: number;
}

/** A whole buffer, or pieces produced incrementally (e.g. by an incremental serializer). */
export type SnapshotData = Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;

export interface PurgeResult {
  snapshotsRemoved: number;
  logEntriesRemoved: number;
  /** Everything at or below this zxid is gone from the log (0n: nothing purged yet). */
  purgedThrough: bigint;
}

export interface Snapshots {
  /**
   * Stores a snapshot of the database state after applying exactly the txns ≤ `zxid`
   * (not a fuzzy one: recovery replays only zxid > `zxid`). Written in chunks, each in
   * its own small flush, so appends keep flowing while a large snapshot is written; it
   * becomes visible to `latest` only when complete. Size and CRC32 are stored with it.
   */
  write(zxid: bigint, data: SnapshotData): Promise<void>;
  /** The newest snapshot whose size and checksum verify; corrupt ones are reported and skipped. */
  latest(): SnapshotInfo | null;
  /** Complete snapshots, newest first. */
  list(): SnapshotMeta[];
  /**
   * Keeps the newest `retain` valid snapshots (ZooKeeper's autopurge.snapRetainCount;
   * values below 3 count as 3, as in ZooKeeper), deletes older and corrupt ones, and
   * deletes the log entries at or below the oldest one kept (no retained snapshot needs
   * them).
   */
  purge(retain: number): Promise<PurgeResult>;
}

/** A log row as stored: the encoded entry (engine/src/tree/txn.ts) and its CRC32. */
export interface RawLogRow {
  zxid: bigint;
  bytes: Buffer;
  crc: number;
}

/** What recovery reads from disk (recovery.ts turns it into a database). */
export interface RecoveryInput {
  /** The newest valid snapshot, or null. */
  snapshot: SnapshotInfo | null;
  /** Every log row with zxid > snapshot zxid (> 0 without a snapshot), ascending, unverified. */
  rows: RawLogRow[];
  /** History at or below this zxid was purged from the log (0n: never purged). */
  purgedThrough: bigint;
}

export interface DurableStore {
  readonly log: TxnLog;
  readonly stable: StableState;
  readonly snapshots: Snapshots;
  /**
   * ZAB sync (zab.md §3.4 step 2–3, ZOOKEEPER-2354): appends the committed sync txns and
   * sets currentEpoch in ONE atomic durable step, so a crash never leaves txns of the new
   * epoch on disk with the old currentEpoch (or the reverse).
   */
  appendAndSetCurrentEpoch(entries: readonly TxnEntry[], currentEpoch: number): Promise<void>;
  /**
   * SNAP sync (zab.md §3.4, ZOOKEEPER-3642): in ONE atomic durable step, drops every log
   * entry and snapshot above `zxid` (abandoning snapshot writes above it) and stores
   * `bytes` as the snapshot at `zxid`. Unlike `snapshots.write`, it takes effect exactly
   * at its place in the write queue, so entries appended after it can never reach the disk
   * without it. Written as one flush: meant for a member that is not serving yet.
   */
  installSnapshot(zxid: bigint, bytes: Buffer): Promise<void>;
  /** The durable state recovery starts from. Reads the disk; call once at startup. */
  recoveryInput(): RecoveryInput;
  /** Resolves once every queued write is durable and the files are closed. */
  close(): Promise<void>;
}

export type StorageReportCode =
  | 'wal-torn-tail'
  | 'wal-corrupt'
  | 'wal-stale-frames'
  | 'log-tail-truncated'
  | 'log-corrupt'
  | 'snapshot-corrupt'
  | 'snapshot-incomplete'
  | 'snapshot-written'
  | 'purged'
  | 'recovered';

/** Something the operator should hear about (corruption found, tail cut, purge done). */
export interface StorageReport {
  level: 'info' | 'warn' | 'error';
  code: StorageReportCode;
  message: string;
}

export type StorageLogger = (report: StorageReport) => void;
