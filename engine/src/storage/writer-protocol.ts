/**
 * Messages between the member thread and the writer worker — one definition for both
 * sides. A batch's bytes (log rows with their zxid/CRC table, snapshot chunks) are
 * packed into ONE fresh ArrayBuffer that is transferred, not copied; the message itself
 * holds only a few small op descriptors, because structured-cloning an object (and a
 * bigint) per log row cost ~6 % of the member thread under write load
 * (docs/performance.md). The worker reads the rows as views. (Buffers from the encoder
 * may live in Node's shared pool, which must never be transferred.)
 */
import type { RawLogRow, StorageLogger, StorageReport } from './contracts.js';
import type { StorageErrorKind } from './errors.js';
import type { OpOutcome, StoreOp, StoreState } from './ops.js';
import type { StorePaths } from './store-paths.js';

interface Slice {
  offset: number;
  length: number;
}

/**
 * An append's rows live in the blob at `at`: `count` table entries of ROW_TABLE_BYTES
 * (zxid int64, crc uint32, length uint32), then the rows' bytes back to back.
 */
export type WireOp =
  | Exclude<StoreOp, { kind: 'append' } | { kind: 'snapshotChunk' } | { kind: 'snapshotInstall' }>
  | { kind: 'append'; count: number; at: number; currentEpoch: number | null }
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
  /**
   * The worker commits every batch waiting in its queue together (one transaction, one
   * fsync). The last batch of such a commit carries `commitOps`, the ops it held in all.
   */
  | { type: 'done'; id: number; outcomes: OpOutcome[]; state: StoreState; commitOps?: number }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'report'; report: StorageReport }
  | { type: 'closed' };

const ROW_TABLE_BYTES = 16;

export function packOps(ops: readonly StoreOp[]): { ops: WireOp[]; blob: ArrayBuffer } {
  let total = 0;
  for (const op of ops) {
    if (op.kind === 'append') for (const r of op.rows) total += ROW_TABLE_BYTES + r.bytes.length;
    else if (op.kind === 'snapshotChunk' || op.kind === 'snapshotInstall') total += op.bytes.length;
  }
  const blob = new ArrayBuffer(total);
  const bytes = new Uint8Array(blob);
  const view = new DataView(blob);
  let at = 0;
  const put = (b: Uint8Array): Slice => {
    bytes.set(b, at);
    const slice = { offset: at, length: b.length };
    at += b.length;
    return slice;
  };
  const wire = ops.map((op): WireOp => {
    if (op.kind === 'append') {
      const start = at;
      let table = at;
      at += op.rows.length * ROW_TABLE_BYTES;
      for (const r of op.rows) {
        view.setBigInt64(table, r.zxid);
        view.setUint32(table + 8, r.crc);
        view.setUint32(table + 12, r.bytes.length);
        table += ROW_TABLE_BYTES;
        bytes.set(r.bytes, at);
        at += r.bytes.length;
      }
      return { kind: 'append', count: op.rows.length, at: start, currentEpoch: op.currentEpoch };
    }
    if (op.kind === 'snapshotChunk') return { kind: 'snapshotChunk', token: op.token, slice: put(op.bytes) };
    if (op.kind === 'snapshotInstall') return { kind: 'snapshotInstall', zxid: op.zxid, crc: op.crc, slice: put(op.bytes) };
    return op;
  });
  return { ops: wire, blob };
}

export function unpackOps(ops: readonly WireOp[], blob: ArrayBuffer): StoreOp[] {
  const view = new DataView(blob);
  const slice = (s: Slice): Buffer => Buffer.from(blob, s.offset, s.length);
  return ops.map((op): StoreOp => {
    if (op.kind === 'append') {
      const rows: RawLogRow[] = [];
      let table = op.at;
      let at = op.at + op.count * ROW_TABLE_BYTES;
      for (let i = 0; i < op.count; i++, table += ROW_TABLE_BYTES) {
        const length = view.getUint32(table + 12);
        rows.push({ zxid: view.getBigInt64(table), crc: view.getUint32(table + 8), bytes: Buffer.from(blob, at, length) });
        at += length;
      }
      return { kind: 'append', currentEpoch: op.currentEpoch, rows };
    }
    if (op.kind === 'snapshotChunk') return { kind: 'snapshotChunk', token: op.token, bytes: slice(op.slice) };
    if (op.kind === 'snapshotInstall') return { kind: 'snapshotInstall', zxid: op.zxid, crc: op.crc, bytes: slice(op.slice) };
    return op;
  });
}

/** A logger that forwards reports to the other side. */
export function forwardingLogger(post: (msg: FromWorker) => void): StorageLogger {
  return (report) => post({ type: 'report', report });
}
