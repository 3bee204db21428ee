/**
 * Ghost state and the invariants of zab.md §8, checked as the simulation runs. Every
 * check records a failure text instead of throwing, so a run reports all it saw.
 *
 * Kept: every zxid ever proposed or logged with its bytes (2 zxid uniqueness, 3 integrity),
 * the one global committed sequence every member's deliveries must walk (4 prefix
 * consistency, 5 agreement, 6 total order, 7/8 primary order), the leader of each epoch
 * (1 leadership uniqueness), each member's durable epochs (11), and digests per zxid
 * (equal logs ⇒ equal trees). Durability of acks (10) and primary integrity (9) are
 * checked where they happen.
 */
import { counterOf, epochOf, zxidLabel } from '../../engine/src/jute/zxid.js';
import type { History } from '../../engine/src/quorum/history.js';
import { encodeTxnEntry, type TxnEntry } from '../../engine/src/tree/txn.js';

export class Ghost {
  readonly failures: string[] = [];
  /** zxid → encoded entry, for everything ever logged or proposed. */
  private readonly proposed = new Map<bigint, Buffer>();
  /** The committed sequence, ascending, and each zxid's index in it. */
  readonly committed: TxnEntry[] = [];
  private readonly committedIndex = new Map<bigint, number>();
  /** Digest of the tree after applying each committed zxid (and after each snapshot point). */
  private readonly digests = new Map<bigint, string>();
  /** Last zxid each member delivered (or restored), current incarnation. */
  private readonly lastDelivered = new Map<number, bigint>();
  private readonly leaderOfEpoch = new Map<number, number>();
  private readonly epochs = new Map<number, { accepted: number; current: number }>();
  now = 0;

  fail(text: string): void {
    if (this.failures.length < 50) this.failures.push(`tick ${this.now}: ${text}`);
  }

  /** Entries already checked (the simulator passes the same objects around). */
  private readonly checked = new WeakSet<TxnEntry>();

  /** Invariant 2/3: one value per zxid, ever. */
  seen(sid: number, entry: TxnEntry, where: string): void {
    if (this.checked.has(entry)) return;
    this.checked.add(entry);
    const bytes = encodeTxnEntry(entry);
    const prev = this.proposed.get(entry.zxid);
    if (!prev) this.proposed.set(entry.zxid, bytes);
    else if (!prev.equals(bytes)) this.fail(`member ${sid} ${where} a different txn under zxid ${zxidLabel(entry.zxid)}`);
  }

  /** Invariants 4–8: a delivery must extend the one committed sequence without a gap. */
  delivered(sid: number, entry: TxnEntry, digest: string): void {
    const z = entry.zxid;
    this.seen(sid, entry, 'delivered');
    const prev = this.lastDelivered.get(sid) ?? 0n;
    if (z <= prev) this.fail(`member ${sid} delivered ${zxidLabel(z)} after ${zxidLabel(prev)} (global primary order)`);
    const i = this.committedIndex.get(z);
    if (i !== undefined) {
      const before = i === 0 ? 0n : this.committed[i - 1]!.zxid;
      if (before !== prev && !(i === 0 && prev === 0n)) {
        this.fail(`member ${sid} delivered ${zxidLabel(z)} after ${zxidLabel(prev)} but the committed sequence has ${zxidLabel(before)} before it`);
      }
    } else {
      const last = this.committed.at(-1)?.zxid ?? 0n;
      if (z < last) this.fail(`member ${sid} delivered ${zxidLabel(z)}, below the committed end ${zxidLabel(last)} yet not in it (total order)`);
      else if (prev !== last) {
        this.fail(`member ${sid} delivered new ${zxidLabel(z)} after ${zxidLabel(prev)}, but the committed sequence ends at ${zxidLabel(last)}`);
      }
      this.committedIndex.set(z, this.committed.length);
      this.committed.push(entry);
    }
    this.lastDelivered.set(sid, z);
    this.checkDigest(sid, z, digest);
  }

  /** A member's database was loaded from a snapshot at `zxid` (restart or SNAP). */
  restored(sid: number, zxid: bigint, digest: string): void {
    if (zxid !== 0n && !this.committedIndex.has(zxid)) this.fail(`member ${sid} restored a snapshot at ${zxidLabel(zxid)}, which was never committed`);
    this.lastDelivered.set(sid, zxid);
    this.checkDigest(sid, zxid, digest);
  }

  private checkDigest(sid: number, zxid: bigint, digest: string): void {
    const known = this.digests.get(zxid);
    if (known === undefined) this.digests.set(zxid, digest);
    else if (known !== digest) this.fail(`member ${sid} has digest ${digest} at ${zxidLabel(zxid)}, another member had ${known}`);
  }

  isCommitted(zxid: bigint): boolean {
    return this.committedIndex.has(zxid);
  }

  committedPosition(zxid: bigint): number | undefined {
    return this.committedIndex.get(zxid);
  }

  /** Invariant 1: one established leader per epoch. */
  leading(sid: number, epoch: number): void {
    const other = this.leaderOfEpoch.get(epoch);
    if (other === undefined) this.leaderOfEpoch.set(epoch, sid);
    else if (other !== sid) this.fail(`members ${other} and ${sid} both established leadership of epoch ${epoch}`);
  }

  /** Invariant 9: a newly established leader holds every committed txn. */
  established(sid: number, epoch: number, history: History): void {
    for (const e of this.committed) {
      if (e.zxid <= history.base) continue;
      if (!history.has(e.zxid)) {
        this.fail(`leader ${sid} of epoch ${epoch} lacks committed ${zxidLabel(e.zxid)} (primary integrity)`);
        return;
      }
    }
    if (history.base !== 0n && !this.committedIndex.has(history.base)) {
      this.fail(`leader ${sid} of epoch ${epoch} starts from ${zxidLabel(history.base)}, which was never committed`);
    }
  }

  /** A TRUNC must remove only entries that never committed. */
  truncating(sid: number, to: bigint, removed: readonly TxnEntry[]): void {
    for (const e of removed) {
      if (this.committedIndex.has(e.zxid)) this.fail(`member ${sid} truncated to ${zxidLabel(to)}, removing committed ${zxidLabel(e.zxid)}`);
    }
  }

  /** Invariant 10: an ACK leaves only for a durable txn; a NEWLEADER ACK only with currentEpoch durable. */
  acking(sid: number, zxid: bigint, durableHas: boolean, durableCurrentEpoch: number): void {
    if (counterOf(zxid) === 0) {
      if (durableCurrentEpoch !== epochOf(zxid)) this.fail(`member ${sid} ACKed NEWLEADER ${epochOf(zxid)} with durable currentEpoch ${durableCurrentEpoch}`);
    } else if (!durableHas) {
      this.fail(`member ${sid} ACKed ${zxidLabel(zxid)} before it was durable`);
    }
  }

  /** A member's disk was replaced by an empty one: its epochs start over (not a regression). */
  diskReplaced(sid: number): void {
    this.epochs.delete(sid);
  }

  /** Invariant 11: acceptedEpoch ≥ currentEpoch, neither decreasing. */
  epochsDurable(sid: number, accepted: number, current: number): void {
    if (accepted < current) this.fail(`member ${sid} has acceptedEpoch ${accepted} < currentEpoch ${current}`);
    const prev = this.epochs.get(sid);
    if (prev && (accepted < prev.accepted || current < prev.current)) {
      this.fail(`member ${sid} epochs went back from ${prev.accepted}/${prev.current} to ${accepted}/${current}`);
    }
    this.epochs.set(sid, { accepted, current });
  }
}
