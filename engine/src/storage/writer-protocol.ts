/**
 * Messages between the member thread and the writer worker — one definition for both
 * sides. A batch's byte payloads (log rows, snapshot chunks) are packed into ONE fresh
 * ArrayBuffer that is transferred, not copied, and the worker reads them as views.
 * (Buffers from encodeTxnEntry may live in Node's shared pool, which must never be
 * transferred.)
 */
import type { StorageLogger, StorageReport } from './contracts.js';
import type { StorageErrorKind } from './errors.js';
import type { OpOutcome, StoreOp, StoreState } from './ops.js';
import type { StorePaths } from './store-paths.js';

interface Slice {
  offset: number;
  length: number;
}

export type WireOp =
  | Exclude<StoreOp, { kind: 'append' } | { kind: 'snapshotChunk' } | { kind: 'snapshotInstall' }>
  | { kind: 'append'; rows: { zxid: bigint; crc: number; slice: Slice }[]; currentEpoch: number | null }
  | { kind: 'snapshotChunk'; token: number; slice: Slice }
  | { kind: 'snapshotInstall'; zxid: bigint; crc: number; slice: Slice };

export interface WorkerConfig {
  paths: StorePaths;
  fsyncDelayMs: number;
}

export interface WireError {
  kind: StorageErrorKind;
  message: string;
}

export type ToWorker = { type: 'batch'; id: number; ops: WireOp[]; blob: ArrayBuffer } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; state: StoreState }
  | { type: 'open-failed'; error: WireError }
  | { type: 'done'; id: number; outcomes: OpOutcome[]; state: StoreState }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'report'; report: StorageReport }
  | { type: 'closed' };

export function packOps(ops: readonly StoreOp[]): { ops: WireOp[]; blob: ArrayBuffer } {
  let total = 0;
  for (const op of ops) {
    if (op.kind === 'append') for (const r of op.rows) total += r.bytes.length;
    else if (op.kind === 'snapshotChunk' || op.kind === 'snapshotInstall') total += op.bytes.length;
  }
  const blob = new ArrayBuffer(total);
  const view = new Uint8Array(blob);
  let at = 0;
  const put = (bytes: Uint8Array): Slice => {
    view.set(bytes, at);
    const slice = { offset: at, length: bytes.length };
    at += bytes.length;
    return slice;
  };
  const wire = ops.map((op): WireOp => {
    if (op.kind === 'append') {
      return { kind: 'append', currentEpoch: op.currentEpoch, rows: op.rows.map((r) => ({ zxid: r.zxid, crc: r.crc, slice: put(r.bytes) })) };
    }
    if (op.kind === 'snapshotChunk') return { kind: 'snapshotChunk', token: op.token, slice: put(op.bytes) };
    if (op.kind === 'snapshotInstall') return { kind: 'snapshotInstall', zxid: op.zxid, crc: op.crc, slice: put(op.bytes) };
    return op;
  });
  return { ops: wire, blob };
}

export function unpackOps(ops: readonly WireOp[], blob: ArrayBuffer): StoreOp[] {
  const view = (s: Slice): Buffer => Buffer.from(blob, s.offset, s.length);
  return ops.map((op): StoreOp => {
    if (op.kind === 'append') {
      return { kind: 'append', currentEpoch: op.currentEpoch, rows: op.rows.map((r) => ({ zxid: r.zxid, crc: r.crc, bytes: view(r.slice) })) };
    }
    if (op.kind === 'snapshotChunk') return { kind: 'snapshotChunk', token: op.token, bytes: view(op.slice) };
    if (op.kind === 'snapshotInstall') return { kind: 'snapshotInstall', zxid: op.zxid, crc: op.crc, bytes: view(op.slice) };
    return op;
  });
}

/** A logger that forwards reports to the other side. */
export function forwardingLogger(post: (msg: FromWorker) => void): StorageLogger {
  return (report) => post({ type: 'report', report });
}
