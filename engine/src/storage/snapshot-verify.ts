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

/** A verified snapshot: its zxid, and its pieces read again from the store on each iteration. */
export interface VerifiedSnapshot {
  zxid: bigint;
  chunks: Iterable<Buffer>;
}

/** The pieces joined: what `Snapshots.latest()` hands out. */
export function joined(s: VerifiedSnapshot): SnapshotInfo {
  const pieces = [...s.chunks];
  return { zxid: s.zxid, bytes: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces) };
}

/**
 * For recovery: the pieces, and `bytes` joined only if someone asks (the tree reads the
 * pieces one at a time: at 1M znodes, joining 180 MB cost ~0.9 s of a restart, and
 * holding every piece at once left ~150 MiB in malloc's arenas afterwards).
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

function reportCorrupt(logger: StorageLogger, s: StoredSnapshot, problem: string): void {
  logger({
    level: 'error',
    code: 'snapshot-corrupt',
    message: `snapshot at ${zxidLabel(s.zxid)} is corrupt (${problem}); skipping it`,
  });
}

/**
 * Newest first: the first one that verifies (read through once, holding one piece at a
 * time); corrupt ones are reported. Its pieces are read again when the caller iterates.
 */
export function newestValid(newestFirst: Iterable<StoredSnapshot>, logger: StorageLogger): VerifiedSnapshot | null {
  for (const s of newestFirst) {
    const problem = snapshotProblem(s, s.load());
    if (problem === null) return { zxid: s.zxid, chunks: { [Symbol.iterator]: () => s.load()[Symbol.iterator]() } };
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
