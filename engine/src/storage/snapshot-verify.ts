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
  load(): Buffer;
}

/** Why the loaded bytes do not match what was recorded, or null. */
export function snapshotProblem(s: StoredSnapshot, bytes: Buffer): string | null {
  if (bytes.length !== s.size) return `size ${bytes.length}, recorded ${s.size}`;
  if (crc32Of(bytes) !== s.crc) return 'checksum mismatch';
  return null;
}

function reportCorrupt(logger: StorageLogger, s: StoredSnapshot, problem: string): void {
  logger({
    level: 'error',
    code: 'snapshot-corrupt',
    message: `snapshot at ${zxidLabel(s.zxid)} is corrupt (${problem}); skipping it`,
  });
}

/** Newest first: the first one that verifies; corrupt ones are reported. */
export function newestValid(newestFirst: Iterable<StoredSnapshot>, logger: StorageLogger): SnapshotInfo | null {
  for (const s of newestFirst) {
    const bytes = s.load();
    const problem = snapshotProblem(s, bytes);
    if (problem === null) return { zxid: s.zxid, bytes };
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
