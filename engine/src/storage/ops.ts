/**
 * The store's write operations, as queued by the member's thread and executed in order by
 * an executor: the SQLite writer (sqlite-writer.ts, in a worker) or the memory disk
 * (memory-disk.ts). One definition, so both executors implement the same semantics and
 * the shared contract tests can hold them to it.
 */
import type { EpochName, PurgeResult, RawLogRow } from './contracts.js';
import { zxidLabel } from '../jute/zxid.js';
import type { StorageErrorKind } from './errors.js';

export type StoreOp =
  /** `currentEpoch` non-null: set it in the same atomic step (ZOOKEEPER-2354). */
  | { kind: 'append'; rows: RawLogRow[]; currentEpoch: number | null }
  | { kind: 'truncate'; after: bigint }
  | { kind: 'setEpoch'; name: EpochName; value: number }
  /** `token` names one snapshot write for its chunks; unique per open store. */
  | { kind: 'snapshotBegin'; token: number; zxid: bigint }
  | { kind: 'snapshotChunk'; token: number; bytes: Buffer }
  /** Size and CRC32 as computed while streaming, checked against what the executor stored. */
  | { kind: 'snapshotEnd'; token: number; size: number; crc: number }
  | { kind: 'snapshotAbort'; token: number }
  /** SNAP sync: drop everything above `zxid` and store this snapshot, atomically. */
  | { kind: 'snapshotInstall'; zxid: bigint; bytes: Buffer; crc: number }
  | { kind: 'purge'; retain: number };

/**
 * A per-operation result. Soft failures (`ok: false`) reject only their own caller; the
 * rest of the batch is unaffected and nothing of the failed op was written.
 */
export type OpOutcome =
  | { ok: true; purge?: PurgeResult }
  | { ok: false; kind: StorageErrorKind; message: string };

/** The durable state the member's thread caches for its synchronous getters. */
export interface StoreState {
  firstZxid: bigint;
  lastZxid: bigint;
  acceptedEpoch: number;
  currentEpoch: number;
  purgedThrough: bigint;
}

export const EMPTY_STATE: StoreState = {
  firstZxid: 0n,
  lastZxid: 0n,
  acceptedEpoch: 0,
  currentEpoch: 0,
  purgedThrough: 0n,
};

/** ZooKeeper's autopurge.snapRetainCount floor (DatadirCleanupManager). */
export const MIN_SNAP_RETAIN = 3;

/** Bytes per snapshot chunk: one chunk rides one flush, so appends wait for at most this much. */
export const SNAPSHOT_CHUNK_BYTES = 1 << 20;

/** How much an op weighs for batch limits (bytes it writes, roughly). */
export function opWeight(op: StoreOp): number {
  switch (op.kind) {
    case 'append': {
      let n = 0;
      for (const r of op.rows) n += r.bytes.length + 24;
      return n;
    }
    case 'snapshotChunk':
    case 'snapshotInstall':
      return op.bytes.length;
    default:
      return 64;
  }
}

// The soft failures both executors report, worded once.

export function notAfter(bad: bigint, last: bigint): OpOutcome {
  return {
    ok: false,
    kind: 'invalid',
    message: `cannot append ${zxidLabel(bad)}: the log already holds ${zxidLabel(last)} (zxids must increase)`,
  };
}

export function purgedBelow(after: bigint, purgedThrough: bigint): OpOutcome {
  return {
    ok: false,
    kind: 'invalid',
    message: `cannot truncate to ${zxidLabel(after)}: history through ${zxidLabel(purgedThrough)} was purged`,
  };
}

export function abandoned(): OpOutcome {
  return { ok: false, kind: 'abandoned', message: 'snapshot abandoned: the log was truncated below its zxid' };
}

export function changedInTransit(): OpOutcome {
  return { ok: false, kind: 'corrupt', message: 'snapshot bytes changed between serializer and disk' };
}
