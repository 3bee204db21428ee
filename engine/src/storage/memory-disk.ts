/**
 * A disk image in memory: what a member's SQLite files would hold, without the files.
 * It executes StoreOps with exactly the SQLite writer's semantics (the shared contract
 * tests check both), and answers the reads. The memory store (memory-store.ts) decides
 * when queued ops reach it; this class only holds what is durable.
 */
import { zxidLabel } from '../jute/zxid.js';
import { crc32Of } from './checksum.js';
import type { RawLogRow, RecoveryInput, SnapshotInfo, SnapshotMeta, StorageLogger } from './contracts.js';
import { abandoned, changedInTransit, notAfter, purgedBelow, type OpOutcome, type StoreOp, type StoreState } from './ops.js';
import { joined, newestValid, planPurge, type StoredSnapshot } from './snapshot-verify.js';
import { firstNotAfter } from './validate.js';

interface MemorySnapshot {
  id: number;
  zxid: bigint;
  chunks: Buffer[];
  /** Recorded at completion; until then the snapshot is invisible. */
  size: number;
  crc: number;
  complete: boolean;
}

export class MemoryDisk {
  private rows: RawLogRow[] = [];
  private snaps: MemorySnapshot[] = [];
  private nextSnapId = 1;
  private epochs = { acceptedEpoch: 0, currentEpoch: 0 };
  private purgedThrough = 0n;
  /** Snapshot writes under way: token → id, or 'abandoned' after a truncation below them. */
  private writing = new Map<number, number | 'abandoned'>();

  state(): StoreState {
    return {
      firstZxid: this.rows[0]?.zxid ?? 0n,
      lastZxid: this.rows.at(-1)?.zxid ?? 0n,
      acceptedEpoch: this.epochs.acceptedEpoch,
      currentEpoch: this.epochs.currentEpoch,
      purgedThrough: this.purgedThrough,
    };
  }

  apply(op: StoreOp, logger: StorageLogger): OpOutcome {
    switch (op.kind) {
      case 'append': {
        const bad = firstNotAfter(op.rows, this.state().lastZxid);
        if (bad !== null) return notAfter(bad, this.state().lastZxid);
        for (const r of op.rows) this.rows.push({ zxid: r.zxid, bytes: Buffer.from(r.bytes), crc: r.crc });
        if (op.currentEpoch !== null) this.epochs.currentEpoch = op.currentEpoch;
        return { ok: true };
      }
      case 'truncate': {
        if (op.after < this.purgedThrough) return purgedBelow(op.after, this.purgedThrough);
        this.dropAbove(op.after);
        return { ok: true };
      }
      case 'snapshotInstall': {
        if (crc32Of(op.bytes) !== op.crc) return changedInTransit();
        this.dropAbove(op.zxid);
        // Everything at or below zxid is now covered by this snapshot (see ops.ts).
        if (op.zxid < this.purgedThrough) this.purgedThrough = op.zxid;
        const bytes = Buffer.from(op.bytes);
        this.snaps.push({ id: this.nextSnapId++, zxid: op.zxid, chunks: [bytes], size: bytes.length, crc: op.crc, complete: true });
        return { ok: true };
      }
      case 'setEpoch':
        this.epochs[op.name] = op.value;
        return { ok: true };
      case 'snapshotBegin': {
        const id = this.nextSnapId++;
        this.snaps.push({ id, zxid: op.zxid, chunks: [], size: 0, crc: 0, complete: false });
        this.writing.set(op.token, id);
        return { ok: true };
      }
      case 'snapshotChunk': {
        const snap = this.open(op.token);
        if (snap) snap.chunks.push(Buffer.from(op.bytes));
        return { ok: true };
      }
      case 'snapshotEnd': {
        const snap = this.open(op.token);
        this.writing.delete(op.token);
        if (!snap) return abandoned();
        const bytes = Buffer.concat(snap.chunks);
        if (bytes.length !== op.size || crc32Of(bytes) !== op.crc) {
          this.snaps = this.snaps.filter((s) => s !== snap);
          return changedInTransit();
        }
        Object.assign(snap, { size: op.size, crc: op.crc, complete: true });
        return { ok: true };
      }
      case 'snapshotAbort': {
        const snap = this.open(op.token);
        this.writing.delete(op.token);
        if (snap) this.snaps = this.snaps.filter((s) => s !== snap);
        return { ok: true };
      }
      case 'purge': {
        const plan = planPurge(this.stored(), op.retain, logger);
        this.snaps = this.snaps.filter((s) => !plan.remove.includes(s.id));
        const before = this.rows.length;
        if (plan.logThrough !== null) {
          const through = plan.logThrough;
          this.rows = this.rows.filter((r) => r.zxid > through);
          if (through > this.purgedThrough) this.purgedThrough = through;
        }
        return {
          ok: true,
          purge: {
            snapshotsRemoved: plan.remove.length,
            logEntriesRemoved: before - this.rows.length,
            purgedThrough: this.purgedThrough,
          },
        };
      }
    }
  }

  /** What a restart finds: snapshot writes cut short by the crash are dropped, and said so. */
  discardIncomplete(logger: StorageLogger): void {
    for (const s of this.snaps.filter((x) => !x.complete)) {
      logger({
        level: 'warn',
        code: 'snapshot-incomplete',
        message: `discarding snapshot at ${zxidLabel(s.zxid)} whose write never finished`,
      });
    }
    this.snaps = this.snaps.filter((s) => s.complete);
    this.writing.clear();
  }

  readRows(after: bigint, upTo: bigint): RawLogRow[] {
    return this.rows.filter((r) => r.zxid > after && r.zxid <= upTo);
  }

  latest(logger: StorageLogger): SnapshotInfo | null {
    const s = newestValid(this.stored(), logger);
    return s === null ? null : joined(s);
  }

  list(): SnapshotMeta[] {
    return this.stored().map((s) => ({ zxid: s.zxid, size: s.size }));
  }

  recoveryInput(logger: StorageLogger): RecoveryInput {
    const snapshot = this.latest(logger);
    const after = snapshot?.zxid ?? 0n;
    return { snapshot, rows: this.readRows(after, this.state().lastZxid), purgedThrough: this.purgedThrough };
  }

  /** Test and simulator hook: flips one byte of a stored row, as a bad disk would. */
  damageRow(zxid: bigint, byteIndex = 0): void {
    const row = this.rows.find((r) => r.zxid === zxid);
    if (!row) throw new Error(`no row ${zxidLabel(zxid)} to damage`);
    row.bytes[byteIndex % row.bytes.length]! ^= 0xff;
  }

  /** Test and simulator hook: flips one byte of a stored snapshot. */
  damageSnapshot(zxid: bigint, byteIndex = 0): void {
    const snap = this.snaps.find((s) => s.zxid === zxid && s.complete);
    const chunk = snap?.chunks.find((c) => c.length > 0);
    if (!chunk) throw new Error(`no non-empty snapshot at ${zxidLabel(zxid)} to damage`);
    chunk[byteIndex % chunk.length]! ^= 0xff;
  }

  /** Log rows and snapshots above `zxid` go; snapshot writes above it are abandoned. */
  private dropAbove(zxid: bigint): void {
    this.rows = this.rows.filter((r) => r.zxid <= zxid);
    this.snaps = this.snaps.filter((s) => s.zxid <= zxid);
    for (const [token, id] of this.writing) {
      if (id !== 'abandoned' && !this.snaps.some((s) => s.id === id)) this.writing.set(token, 'abandoned');
    }
  }

  private open(token: number): MemorySnapshot | undefined {
    const id = this.writing.get(token);
    return id === undefined || id === 'abandoned' ? undefined : this.snaps.find((s) => s.id === id);
  }

  /** Complete snapshots, newest first (zxid, then write order). */
  private stored(): StoredSnapshot[] {
    return this.snaps
      .filter((s) => s.complete)
      .sort((a, b) => (a.zxid === b.zxid ? b.id - a.id : a.zxid < b.zxid ? 1 : -1))
      .map((s) => ({ id: s.id, zxid: s.zxid, size: s.size, crc: s.crc, load: () => [...s.chunks] }));
  }
}
