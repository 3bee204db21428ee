/**
 * What the client-facing server uses from the pure core (tree/, watches/, sessions/,
 * server/prep/), named by the roles they play here. The member (engine/src/member/)
 * wires the real implementations in (adapting names where needed); unit tests may pass
 * small fakes.
 */
import type { ACL, Id } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';
import type { WatchTrigger } from '../tree/types.js';
import type { ZkDatabase } from '../tree/zk-database.js';
import type { WriteRequest } from './replication.js';

/** One notification to deliver: who, which event, which path (§12). */
export interface WatchDelivery<W> {
  watcher: W;
  type: number;
  path: string;
}

/** The lists of a SetWatches / SetWatches2 request (§12.5). */
export interface SetWatchesLists {
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}

/** The watch tables, keyed by connection (§12). */
export interface WatchTable<W> {
  /** exists/getData with watch=true (§12.1). */
  addDataWatch(path: string, watcher: W): void;
  /** getChildren(2) with watch=true. */
  addChildWatch(path: string, watcher: W): void;
  /** addWatch (§12.4); `recursive` = PERSISTENT_RECURSIVE. */
  addPersistentWatch(path: string, watcher: W, recursive: boolean): void;
  /** The events a txn's triggers fire, in order, filtered by `canRead` (§12.2, §12.3). */
  trigger(triggers: readonly WatchTrigger[], canRead: (watcher: W, acl: readonly ACL[]) => boolean): WatchDelivery<W>[];
  /**
   * SetWatches catch-up against the database: registers what still applies and returns
   * the events to send at once, before the reply (§12.5).
   */
  setWatches(watcher: W, lists: SetWatchesLists, db: ZkDatabase): WatchDelivery<W>[];
  /** checkWatches (§12.6): whether `watcher` has a watch of WatcherType `type` on `path`. */
  hasWatch(path: string, watcher: W, type: number): boolean;
  /** removeWatches (§12.6): removes them; false when there was none (NoWatcher). */
  removeWatches(path: string, watcher: W, type: number): boolean;
  /** Drops everything the watcher registered (connection closed). */
  removeWatcher(watcher: W): void;
  /** Total registrations over every table (mntr zk_watch_count). */
  watchCount(): number;
  /** The data/exist table only, as 3.8's wchs/wchc/wchp report it (§16). */
  dataWatchPaths(): Map<string, W[]>;
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

/** Session expiry (sessions/): tickTime buckets over an injected clock (§13.2). */
export interface SessionTracking {
  add(sessionId: bigint, timeout: number, now: number): void;
  /** Refreshes a live session (optionally with a renegotiated timeout); false if unknown or closing. */
  touch(sessionId: bigint, now: number, timeout?: number): boolean;
  /** Marks a session closing: it can no longer be touched back to life. */
  setClosing(sessionId: bigint): void;
  remove(sessionId: bigint): void;
  /** Sessions whose deadline passed; they are marked closing. */
  expire(now: number): bigint[];
  /** For `dump`: expiry buckets, soonest first. */
  buckets(): { expiresAt: number; sessions: bigint[] }[];
}
