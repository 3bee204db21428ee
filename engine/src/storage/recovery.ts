/**
 * Recovery as a pure function of what was read from disk (style.md B4): latest valid
 * snapshot + replay of the log after it → database + last zxid. The database type and
 * its deserialize/apply functions are injected, so storage knows nothing of the tree.
 *
 * Every row after the snapshot is checked before anything is applied: checksum, full
 * decode, its own zxid, and continuity from the previous zxid (continuity.ts). Then:
 *
 * - A bad TAIL — the first bad row and every row after it are individually damaged — is
 *   what an interrupted or damaged last write looks like. It is reported and cut
 *   (`truncateAfter`), never applied.
 * - Damage in the MIDDLE — a bad row followed by rows that verify, or a zxid gap — means
 *   committed history is missing or unreadable. Cutting there would silently drop txns
 *   this member may have acknowledged (and ZooKeeper itself refuses to start on a CRC
 *   failure), so recovery refuses with a StorageError('corrupt') naming the row. The
 *   operator can accept the loss with `discardCorruptHistory` (then the log is cut at
 *   the first bad row and the loss is reported as an error), e.g. to resync a follower
 *   from its leader.
 * - History purged below the snapshot we could load (the newer ones were corrupt) cannot
 *   be rebuilt: refused.
 */
import { zxidLabel } from '../jute/zxid.js';
import type { TxnEntry } from '../tree/txn.js';
import { checkRow } from './checksum.js';
import { continuityProblem } from './continuity.js';
import type { RecoveryInput, StorageReport } from './contracts.js';
import { StorageError } from './errors.js';

export interface RecoveryFns<Db> {
  /** The database of an empty data dir. */
  empty(): Db;
  /** Rebuilds the database from snapshot bytes (which verified their checksum). */
  deserialize(bytes: Buffer, zxid: bigint): Db;
  /** The same from the pieces the store holds (used instead of `deserialize` when given and the store has pieces). */
  deserializeChunks?(chunks: Iterable<Buffer>, zxid: bigint): Db;
  /** Applies one logged txn (the tree's only mutation). */
  apply(db: Db, entry: TxnEntry): void;
}

export interface RecoveryPolicy {
  /** Cut the log at the first bad row even when valid history follows it (data loss, reported). */
  discardCorruptHistory?: boolean;
}

export interface RecoveryResult<Db> {
  db: Db;
  /** The last zxid the database reflects: max(snapshot zxid, last replayed). */
  lastZxid: bigint;
  /** The snapshot loaded, or null when replay started from an empty database. */
  snapshotZxid: bigint | null;
  replayed: number;
  /** Cut the log after this zxid (a bad tail was found), or null when the log is whole. */
  truncateAfter: bigint | null;
  reports: StorageReport[];
}

interface Verified {
  entries: TxnEntry[];
  /** Index of the first bad row and why, or null. */
  bad: { index: number; problem: string } | null;
}

function verifyRows(input: RecoveryInput, start: bigint): Verified {
  const entries: TxnEntry[] = [];
  let prev = start;
  for (let i = 0; i < input.rows.length; i++) {
    const row = input.rows[i]!;
    const check = checkRow(row);
    if (!check.ok) return { entries, bad: { index: i, problem: check.problem } };
    const gap = continuityProblem(prev, row.zxid);
    if (gap !== null) return { entries, bad: { index: i, problem: gap } };
    entries.push(check.entry);
    prev = row.zxid;
  }
  return { entries, bad: null };
}

export function recover<Db>(input: RecoveryInput, fns: RecoveryFns<Db>, policy: RecoveryPolicy = {}): RecoveryResult<Db> {
  const reports: StorageReport[] = [];
  const start = input.snapshot?.zxid ?? 0n;
  if (input.purgedThrough > start) {
    throw new StorageError(
      'corrupt',
      input.snapshot
        ? `the newest valid snapshot is at ${zxidLabel(start)} but the log was purged through ${zxidLabel(input.purgedThrough)}: txns in between are gone`
        : `no valid snapshot, and the log was purged through ${zxidLabel(input.purgedThrough)}: the history cannot be rebuilt`,
    );
  }
  const rows = input.rows.filter((r) => r.zxid > start);
  const { entries, bad } = verifyRows({ ...input, rows }, start);

  let truncateAfter: bigint | null = null;
  if (bad) {
    const badRow = rows[bad.index]!;
    const cutAt = bad.index === 0 ? start : rows[bad.index - 1]!.zxid;
    const later = rows.slice(bad.index + 1);
    const validAfter = later.filter((r) => checkRow(r).ok).length;
    const isGap = checkRow(badRow).ok;
    const torn = !isGap && validAfter === 0;
    const where = `log entry ${zxidLabel(badRow.zxid)} (${bad.problem})`;
    if (torn) {
      reports.push({
        level: 'warn',
        code: 'log-tail-truncated',
        message: `damaged log tail at ${where}: ${rows.length - bad.index} entr${rows.length - bad.index === 1 ? 'y' : 'ies'} cut after ${zxidLabel(cutAt)}, none applied`,
      });
    } else if (policy.discardCorruptHistory) {
      reports.push({
        level: 'error',
        code: 'log-corrupt',
        message: `corrupt history at ${where}, ${validAfter} valid entries after it: discarding ${rows.length - bad.index} entries after ${zxidLabel(cutAt)} as the operator allowed`,
      });
    } else {
      throw new StorageError(
        'corrupt',
        `corrupt history at ${where} with ${validAfter} valid entr${validAfter === 1 ? 'y' : 'ies'} after it; refusing to drop committed txns (allow with discardCorruptHistory to cut the log after ${zxidLabel(cutAt)})`,
      );
    }
    truncateAfter = cutAt;
  }

  let db: Db;
  try {
    const snap = input.snapshot;
    if (snap === null) db = fns.empty();
    else if (snap.chunks !== undefined && fns.deserializeChunks !== undefined) db = fns.deserializeChunks(snap.chunks, snap.zxid);
    else db = fns.deserialize(snap.bytes, snap.zxid);
  } catch (e) {
    throw new StorageError('corrupt', `snapshot at ${zxidLabel(start)} verified but cannot be loaded: ${(e as Error).message}`, {
      cause: e,
    });
  }
  for (const entry of entries) {
    try {
      fns.apply(db, entry);
    } catch (e) {
      throw new StorageError('corrupt', `replaying ${zxidLabel(entry.zxid)} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  const lastZxid = entries.at(-1)?.zxid ?? start;
  reports.push({
    level: 'info',
    code: 'recovered',
    message: `recovered to ${zxidLabel(lastZxid)}: ${input.snapshot ? `snapshot ${zxidLabel(start)}` : 'empty database'} + ${entries.length} logged txns`,
  });
  return { db, lastZxid, snapshotZxid: input.snapshot?.zxid ?? null, replayed: entries.length, truncateAfter, reports };
}
