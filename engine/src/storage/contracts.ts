/**
 * Persistence, as three narrow contracts (hashicorp/raft's log.go + stable.go, see
 * style.md B4). Each has a SQLite implementation for members and a memory
 * implementation for the simulator. Nothing in tree/, server/prep or quorum/ calls these
 * directly: drivers do, and only after a write resolves may its effects be announced
 * (an ACK, a client reply).
 */
import type { TxnEntry } from '../tree/txn.js';

export interface TxnLog {
  /**
   * Appends entries in zxid order. Resolves once they are durable (fsync). Calls that
   * arrive while a flush is under way are group-committed into the next flush.
   */
  append(entries: readonly TxnEntry[]): Promise<void>;
  /** Entries with zxid > `after` (and ≤ `upTo` when given), in order. */
  read(after: bigint, upTo?: bigint): TxnEntry[];
  /** Removes every entry with zxid > `zxid` (ZAB TRUNC; never below the committed point). Durable on return. */
  truncateAfter(zxid: bigint): void;
  /** The last logged zxid, or 0n when empty. */
  lastZxid(): bigint;
  /** The first zxid still in the log (after purging), or 0n when empty. */
  firstZxid(): bigint;
}

/** ZAB's two persisted epochs (zab.md §1.3). Writes are durable on return. */
export interface StableState {
  acceptedEpoch(): number;
  currentEpoch(): number;
  setAcceptedEpoch(epoch: number): void;
  setCurrentEpoch(epoch: number): void;
}

export interface SnapshotInfo {
  zxid: bigint;
  /** Serialized database (tree + sessions), as produced by the tree's serializer. */
  bytes: Buffer;
}

export interface Snapshots {
  /** Stores a snapshot taken at `zxid`, with a checksum verified on read. */
  write(zxid: bigint, bytes: Buffer): void;
  /** The newest snapshot whose checksum verifies; corrupt ones are reported and skipped. */
  latest(): SnapshotInfo | null;
  /** Keeps the newest `retain` snapshots (and the log they need); deletes the rest. */
  purge(retain: number): void;
}
