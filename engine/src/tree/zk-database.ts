/**
 * ZkDatabase: one member's replicated state — the DataTree, the session table and the
 * last applied zxid. `apply(entry)` is the ONLY mutation; standalone members, every
 * ensemble member, recovery replay and the simulator all go through it, so they agree.
 *
 *   const db = new ZkDatabase();                   // reserved nodes only (§8.2), zxid 0
 *   const { result, triggers } = db.apply(entry);  // entry.zxid must exceed db.lastZxid
 *   db.tree.getData('/a')                          // reads: see data-tree.ts
 *   db.digest()                                    // order-independent tree digest
 *   const bytes = db.serialize();                  // or db.beginSnapshot() for chunks
 *   const copy = ZkDatabase.deserialize(bytes);    // throws SnapshotError when corrupt
 *
 * Triggers come in §12.2 order with the ACL that governs delivery (§12.3); hand them to
 * WatchManager.trigger. `reapCandidates(now, limits)` lists container/TTL nodes the
 * leader should delete (§10.3, §10.4).
 */
import type { TxnEntry } from './txn.js';
import type { ApplyResult, SessionRecord } from './types.js';
import { DataTree, type TreeOptions } from './data-tree.js';
import { applyEntry } from './apply.js';
import { IncrementalSnapshot, readSnapshot, type SnapshotContents } from './snapshot.js';
import { reapCandidates, type ReapLimits } from './containers-ttl.js';
import { digestHex } from './digest.js';

export class ZkDatabase {
  readonly tree: DataTree;
  private readonly sessionTable: Map<bigint, SessionRecord>;
  private last: bigint;

  /** A fresh database; `restored` is how `deserialize` hands over a snapshot's contents. */
  constructor(options: TreeOptions = {}, restored?: SnapshotContents) {
    this.tree = restored?.tree ?? new DataTree(options);
    this.sessionTable = restored?.sessions ?? new Map();
    this.last = restored?.lastZxid ?? 0n;
  }

  /** The zxid of the last applied transaction (0 for a fresh database). */
  get lastZxid(): bigint {
    return this.last;
  }

  /**
   * Applies one committed transaction. Its zxid must be greater than `lastZxid` (a
   * repeated or out-of-order entry throws and changes nothing). A txn that does not fit
   * the tree (see apply.ts) yields an error result and changes nothing but lastZxid.
   */
  apply(entry: TxnEntry): ApplyResult {
    if (entry.zxid <= this.last) {
      throw new Error(`txn zxid 0x${entry.zxid.toString(16)} is not after the last applied 0x${this.last.toString(16)}`);
    }
    const zxid = Number(entry.zxid);
    if (!Number.isSafeInteger(zxid)) throw new Error(`txn zxid 0x${entry.zxid.toString(16)} is beyond 2^53`);
    if (!Number.isSafeInteger(entry.time)) throw new Error(`txn time ${entry.time} is not an integral number of ms`);
    const out = applyEntry({ tree: this.tree, sessions: this.sessionTable }, entry, zxid);
    this.last = entry.zxid;
    return out;
  }

  session(id: bigint): SessionRecord | undefined {
    return this.sessionTable.get(id);
  }

  sessions(): IterableIterator<SessionRecord> {
    return this.sessionTable.values();
  }

  get sessionCount(): number {
    return this.sessionTable.size;
  }

  digest(): bigint {
    return this.tree.digest();
  }

  /** `<zxid hex>: <digest>` style pair for the `hash` 4lw and the lab. */
  digestHex(): string {
    return digestHex(this.tree.digest());
  }

  reapCandidates(now: number, limits: ReapLimits = {}): string[] {
    return reapCandidates(this.tree, now, limits);
  }

  /** The whole database as snapshot bytes, in one go (fine for small trees and tests). */
  serialize(): Buffer {
    return this.beginSnapshot().drain();
  }

  /**
   * Starts an incremental snapshot of the state at the current lastZxid. Call
   * `nextChunk()` until it returns null, yielding to the event loop in between; `apply`
   * may run meanwhile. Only one snapshot at a time; `cancel()` abandons it.
   */
  beginSnapshot(): IncrementalSnapshot {
    return new IncrementalSnapshot({ tree: this.tree, sessions: this.sessionTable, lastZxid: this.last });
  }

  /** From the snapshot's bytes, or the pieces a store keeps them in (no need to join them). */
  static deserialize(bytes: Buffer | Iterable<Buffer>): ZkDatabase {
    return new ZkDatabase({}, readSnapshot(bytes));
  }
}
