/**
 * What the client-facing server uses from the pure core (tree/, watches/, sessions/,
 * server/prep/), named by the roles they play here. The member (engine/src/member/)
 * wires the real implementations in (adapting names where needed); unit tests may pass
 * small fakes.
 */
import type { ACL, Id } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';
import type { WatchTrigger } from '../tree/types.js';
import type { Delivery, SetWatchesRequest, WatchCatchUpSource } from '../watches/index.js';
import type { WriteRequest } from './replication.js';

/**
 * The watch tables, keyed by connection (§12): the shape of watches/WatchManager, which
 * the member passes in as is.
 */
export interface WatchTable<W> {
  /** exists/getData with watch=true (§12.1). */
  addDataWatch(path: string, watcher: W): void;
  /** getChildren(2) with watch=true. */
  addChildWatch(path: string, watcher: W): void;
  /** addWatch (§12.4); `recursive` = PERSISTENT_RECURSIVE. */
  addPersistentWatch(path: string, watcher: W, recursive: boolean): void;
  /** The events a txn's triggers fire, in order, filtered by `canRead` (§12.2, §12.3). */
  trigger(triggers: readonly WatchTrigger[], canRead: (watcher: W, acl: readonly ACL[]) => boolean): Delivery<W>[];
  /**
   * SetWatches catch-up against the database: registers what still applies and returns
   * the events to send at once, before the reply (§12.5).
   */
  setWatches(source: WatchCatchUpSource, watcher: W, req: SetWatchesRequest): Delivery<W>[];
  /** checkWatches (§12.6): whether `watcher` has a watch of WatcherType `type` on `path`. */
  hasWatch(path: string, watcher: W, type: number): boolean;
  /** removeWatches (§12.6): removes them; false when there was none (NoWatcher). */
  removeWatch(path: string, watcher: W, type: number): boolean;
  /** Drops everything the watcher registered (connection closed). */
  removeWatcher(watcher: W): void;
  /** Total registrations over every table (mntr zk_watch_count). */
  watchCount(): number;
  /** The data/exist table only, as 3.8's wchs/wchc/wchp report it (§16). */
  dataTableByPath(): Map<string, W[]>;
}

/** ACL checks and auth-id helpers from prep (§15). */
export interface AclRules {
  /** Whether `authIds` grant `perm` on a node with `acl` (empty ACL = allowed; super = allowed). */
  check(acl: readonly ACL[], perm: number, authIds: readonly Id[]): boolean;
  /** digest auth: `user:password` → the id `user:base64(sha1(user:password))`. */
  digestId(userPassword: string): string;
}

/** Request preparation (server/prep): request → txn, including error txns (§5, §8.3). */
export interface TxnPreparer {
  /** A client write (any `replicate` opcode, closeSession included). Never throws for bad input. */
  prepare(req: WriteRequest, zxid: bigint, time: number): TxnEntry;
  createSession(sessionId: bigint, timeout: number, passwd: Buffer, zxid: bigint, time: number): TxnEntry;
  /** Server-initiated close (expiry). */
  closeSession(sessionId: bigint, zxid: bigint, time: number): TxnEntry;
  /** Container/TTL reaping: the server-internal delete (§10.3, §10.4). */
  reapDelete(path: string, zxid: bigint, time: number): TxnEntry;
  /** The txn with this zxid was applied: drop its pending-change records. */
  committed(zxid: bigint): void;
}

/**
 * Session expiry (sessions/SessionTracker, which the member passes in as is): tickTime
 * buckets over the caller's monotonic clock (§13.2).
 */
export interface SessionTracking {
  addSession(sessionId: bigint, timeout: number, now?: number): void;
  /** Refreshes a live session (optionally with a renegotiated timeout); false if unknown or closing. */
  touchSession(sessionId: bigint, timeout?: number, now?: number): boolean;
  /** Marks a session closing: it can no longer be touched back to life. */
  setClosing(sessionId: bigint): void;
  removeSession(sessionId: bigint): void;
  /** Sessions whose deadline passed; they are marked closing. */
  expire(now?: number): { id: bigint }[];
  /** For `dump`: expiry buckets, soonest first. */
  bucketSnapshot(): { expiresAt: number; sessions: bigint[] }[];
}
