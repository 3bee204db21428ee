/**
 * Turns one `Snapshots.write` into queued ops: begin, chunks, end. Size and CRC32 are
 * computed here while streaming and checked again by the executor against what it
 * stored (the "verify before writing" half of the pair assertion, style.md B4).
 */
import type { SnapshotData } from './contracts.js';
import { crc32Of } from './checksum.js';
import type { StoreOp } from './ops.js';

export interface StreamOptions {
  chunkBytes: number;
  /**
   * Wait for each chunk to be durable before queuing the next, so appends queued in
   * between ride the next flush instead of waiting behind the whole snapshot (SQLite).
   * Without it every chunk is queued at once (the memory store, where flushes are free).
   */
  awaitEachChunk: boolean;
}

function* pieces(buf: Buffer, chunkBytes: number): Generator<Buffer> {
  for (let at = 0; at < buf.length; at += chunkBytes) yield buf.subarray(at, Math.min(buf.length, at + chunkBytes));
}

function checked(piece: unknown): Buffer {
  if (!Buffer.isBuffer(piece)) throw new TypeError('snapshot data must be Buffers');
  return piece;
}

function isSync(data: SnapshotData): data is Buffer | Iterable<Buffer> {
  return Buffer.isBuffer(data) || Symbol.iterator in data;
}

export async function streamSnapshot(
  submit: (op: StoreOp) => Promise<unknown>,
  token: number,
  zxid: bigint,
  data: SnapshotData,
  opts: StreamOptions,
): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  // Marked handled at once: a failure is reported by the final await, not as an unhandled rejection.
  const track = (p: Promise<unknown>): void => {
    p.catch(() => undefined);
    inFlight.push(p);
  };
  track(submit({ kind: 'snapshotBegin', token, zxid }));
  let size = 0;
  let crc = 0;
  /** Queues one chunk; with awaitEachChunk the caller waits for it before the next. */
  const queue = (chunk: Buffer): Promise<unknown> | null => {
    size += chunk.length;
    crc = crc32Of(chunk, crc);
    const p = submit({ kind: 'snapshotChunk', token, bytes: chunk });
    if (opts.awaitEachChunk) return p;
    track(p);
    return null;
  };
  try {
    if (isSync(data)) {
      // Without awaitEachChunk nothing here awaits: a whole Buffer (or sync iterable) is
      // queued within this call, so the snapshot takes effect at its place in the queue.
      for (const piece of Buffer.isBuffer(data) ? [data] : data) {
        for (const chunk of pieces(checked(piece), opts.chunkBytes)) {
          const wait = queue(chunk);
          if (wait) await wait;
        }
      }
    } else {
      for await (const piece of data) {
        for (const chunk of pieces(checked(piece), opts.chunkBytes)) {
          const wait = queue(chunk);
          if (wait) await wait;
        }
      }
    }
  } catch (e) {
    // The serializer (or the store) failed mid-way: drop what was written of this snapshot.
    track(submit({ kind: 'snapshotAbort', token }));
    await Promise.allSettled(inFlight);
    throw e;
  }
  track(submit({ kind: 'snapshotEnd', token, size, crc }));
  await Promise.all(inFlight);
}
