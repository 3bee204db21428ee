/**
 * Which stored snapshots can be trusted, shared by both executors and both readers:
 * the pair assertion of style.md B4 (size + CRC32 recorded at write time, checked at read).
 */
import { zxidLabel } from '../jute/zxid.js';
import { crc32Of } from './checksum.js';
import type { SnapshotInfo, StorageLogger } from './contracts.js';
import { MIN_SNAP_RETAIN } from './ops.js';

/** A complete stored snapshot whose bytes can be loaded on demand. */
export interface StoredSnapshot {
  id: number;
  zxid: bigint;
  size: number;
  crc: number;
  /** The bytes in the pieces they are stored in, read lazily (never joined here: 180 MB at 1M znodes). */
  load(): Iterable<Buffer>;
}

/** Why the loaded pieces do not match what was recorded, or null. */
export function snapshotProblem(s: StoredSnapshot, pieces: Iterable<Buffer>): string | null {
  let size = 0;
  let crc = 0;
  try {
    for (const p of pieces) {
      size += p.length;
      crc = crc32Of(p, crc);
    }
  } catch (e) {
    // A damaged page under the chunks (SQLITE_CORRUPT): as bad as a wrong checksum.
    return `unreadable (${(e as Error).message})`;
  }
  if (size !== s.size) return `size ${size}, recorded ${s.size}`;
  if (crc !== s.crc) return 'checksum mismatch';
  return null;
}

/** A verified snapshot as the pieces it is stored in. */
export interface VerifiedSnapshot {
  zxid: bigint;
  chunks: Buffer[];
}

/** The pieces joined: what `Snapshots.latest()` hands out. */
export function joined(s: VerifiedSnapshot): SnapshotInfo {
  return { zxid: s.zxid, bytes: s.chunks.length === 1 ? s.chunks[0]! : Buffer.concat(s.chunks) };
}

/**
 * For recovery: the pieces, and `bytes` joined only if someone asks (the tree reads the
 * pieces directly: joining 180 MB cost ~0.9 s of a 1M-znode restart).
 */
export function inPieces(s: VerifiedSnapshot): SnapshotInfo {
  let all: Buffer | null = null;
  return {
    zxid: s.zxid,
    chunks: s.chunks,
    get bytes() {
      all ??= joined(s).bytes;
      return all;
    },
  };
}

/** Passes the pieces through, keeping them in `into`. */
function* collecting(pieces: Iterable<Buffer>, into: Buffer[]): Generator<Buffer> {
  for (const p of pieces) {
    into.push(p);
    yield p;
  }
}

function reportCorrupt(logger: StorageLogger, s: StoredSnapshot, problem: string): void {
  logger({
    level: 'error',
    code: 'snapshot-corrupt',
    message: `snapshot at ${zxidLabel(s.zxid)} is corrupt (${problem}); skipping it`,
  });
}

/** Newest first: the first one that verifies; corrupt ones are reported. */
export function newestValid(newestFirst: Iterable<StoredSnapshot>, logger: StorageLogger): VerifiedSnapshot | null {
  for (const s of newestFirst) {
    const pieces: Buffer[] = [];
    const problem = snapshotProblem(s, collecting(s.load(), pieces));
    if (problem === null) return { zxid: s.zxid, chunks: pieces };
    reportCorrupt(logger, s, problem);
  }
  return null;
}

export interface PurgePlan {
  /** Snapshot ids to delete: beyond the retained ones, or corrupt. */
  remove: number[];
  /** Log entries at or below this zxid are no longer needed (null: keep the whole log). */
  logThrough: bigint | null;
}

/**
 * Keeps the newest `retain` (at least 3) snapshots that verify; everything else goes.
 * With no valid snapshot at all the log is kept whole: it is the only history left.
 */
export function planPurge(newestFirst: Iterable<StoredSnapshot>, retain: number, logger: StorageLogger): PurgePlan {
  const keep = Math.max(MIN_SNAP_RETAIN, Math.floor(retain));
  const remove: number[] = [];
  let kept = 0;
  let oldestKept: bigint | null = null;
  for (const s of newestFirst) {
    if (kept >= keep) {
      remove.push(s.id);
      continue;
    }
    const problem = snapshotProblem(s, s.load());
    if (problem !== null) {
      reportCorrupt(logger, s, problem);
      remove.push(s.id);
      continue;
    }
    kept++;
    oldestKept = s.zxid;
  }
  return { remove, logThrough: oldestKept };
}
