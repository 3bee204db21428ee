/**
 * The writer worker's entry point: owns the SQLite write connections and runs the
 * batches the member thread sends, so a slow fsync stalls this thread, never the
 * member's event loop. Started by sqlite-store.ts with a WorkerConfig as workerData.
 *
 * The member thread hands a batch over as soon as it is formed, even while an earlier
 * one is being committed. Whatever is waiting when a commit ends goes into the next
 * commit together (one transaction, one fsync; capped like a batch), so the disk never
 * sits idle while the member thread is busy, and small batches do not each pay a fsync.
 * Replies go out per batch, in order. After a failed commit nothing more is written:
 * every later batch is refused (durability is unknown, the store must stop).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { asStorageError, SqliteWriter } from './sqlite-writer.js';
import type { StoreOp } from './ops.js';
import { forwardingLogger, unpackOps, type FromWorker, type ToWorker, type WireError, type WorkerConfig } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-worker must run as a worker thread');
const post = (msg: FromWorker): void => port.postMessage(msg);
const config = workerData as WorkerConfig;

/** One commit takes at most this many ops and bytes of waiting batches (the first always whole). */
const MAX_COMMIT_OPS = 1000;
const MAX_COMMIT_BYTES = 4 * 1024 * 1024;

type Batch = Extract<ToWorker, { type: 'batch' }>;

let writer: SqliteWriter | null = null;
let broken: WireError | null = null;
try {
  writer = new SqliteWriter(config.paths, { fsyncDelayMs: config.fsyncDelayMs, logger: forwardingLogger(post) });
  post({ type: 'ready', state: writer.state() });
} catch (e) {
  const err = asStorageError(e);
  post({ type: 'open-failed', error: { kind: err.kind, message: err.message } });
}

function close(): void {
  try {
    writer?.close();
  } finally {
    writer = null;
    post({ type: 'closed' });
    port!.close();
  }
}

/** This batch plus every batch already waiting, within the commit caps; and whether a close came after them. */
function gather(first: Batch): { batches: Batch[]; closeAfter: boolean } {
  const batches = [first];
  let ops = first.ops.length;
  let bytes = first.blob.byteLength;
  while (ops < MAX_COMMIT_OPS && bytes < MAX_COMMIT_BYTES) {
    const next = receiveMessageOnPort(port!)?.message as ToWorker | undefined;
    if (next === undefined) break;
    if (next.type === 'close') return { batches, closeAfter: true };
    batches.push(next);
    ops += next.ops.length;
    bytes += next.blob.byteLength;
  }
  return { batches, closeAfter: false };
}

function commit(batches: Batch[]): void {
  if (!writer) broken ??= { kind: 'closed', message: 'the writer is not open' };
  if (broken) {
    for (const b of batches) post({ type: 'failed', id: b.id, error: broken });
    return;
  }
  const ops: StoreOp[] = [];
  for (const b of batches) ops.push(...unpackOps(b.ops, b.blob));
  try {
    const { outcomes, state } = writer!.execute(ops);
    let at = 0;
    batches.forEach((b, i) => {
      const mine = outcomes.slice(at, at + b.ops.length);
      at += b.ops.length;
      post({ type: 'done', id: b.id, outcomes: mine, state, ...(i === batches.length - 1 ? { commitOps: ops.length } : {}) });
    });
  } catch (e) {
    const err = asStorageError(e);
    broken = { kind: err.kind, message: err.message };
    for (const b of batches) post({ type: 'failed', id: b.id, error: broken });
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') return close();
  const { batches, closeAfter } = gather(msg);
  commit(batches);
  if (closeAfter) close();
});
