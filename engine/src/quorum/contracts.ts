/**
 * What the quorum core needs from the rest of a member, as narrow synchronous interfaces.
 * The driver (or the simulator) supplies them; the core never touches a disk or a socket.
 */
import type { Id } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';

/**
 * A client request that changes state, in the serialized form every member can forward
 * (zab.md §4.1 REQUEST): the session, the client's xid, the opcode and the request
 * record's bytes (without the RequestHeader), plus the session's auth identities. The
 * same shape as the server's `WriteRequest` and Prep's `PrepRequest`. A forwarded
 * createSession carries Prep's `encodeCreateSessionBody(timeout, passwd)`.
 */
export interface ClientRequest {
  sessionId: bigint;
  cxid: number;
  op: number;
  body: Buffer;
  authIds: Id[];
}

/**
 * The leader's request preparation (server/prep's Prep, PrepRequestProcessor): validates
 * against the database plus the changes still in flight and builds the transaction.
 * Total: a request that fails validation becomes an error transaction (it still takes a
 * zxid).
 */
export interface RequestPreparer {
  /** Any write, createSession and closeSession included. */
  prepare(request: ClientRequest, zxid: bigint, timeMs: number): TxnEntry;
  /** Server-initiated close (expiry). */
  closeSession(sessionId: bigint, zxid: bigint, timeMs: number): TxnEntry;
  /** Server-initiated delete of a container or expired TTL node (the leader's reaper). */
  reap(path: string, zxid: bigint, timeMs: number): TxnEntry;
  /** The database has applied every transaction up to `zxid`: drop overlay entries ≤ zxid. */
  committed(zxid: bigint): void;
  /** Leadership ended: forget every pending change. */
  reset(): void;
}

/** A live global session: its id and negotiated timeout. */
export interface SessionInfo {
  id: bigint;
  timeoutMs: number;
}

/** The database as the core sees it: only to ship a SNAP. */
export interface SnapshotSource {
  /**
   * Serialized tree + sessions as the database stands now, which is always the last zxid
   * the core saw confirmed by `advance()` (the driver applies and advances in one go).
   */
  snapshot(): { bytes: Buffer; sessions: SessionInfo[] };
}

/**
 * A member's durable state at start-up (zab.md §1.3): the epochs, the snapshot the
 * database was restored from, and the log entries after it. The driver restores the
 * database from the snapshot only; the core decides when the logged entries are known
 * to be committed and hands them back for applying (so an uncommitted tail is never
 * applied and a TRUNC never needs a reload).
 */
export interface DurableState {
  acceptedEpoch: number;
  currentEpoch: number;
  /** zxid of the snapshot the database holds (0n for an empty database). */
  snapshotZxid: bigint;
  /** Sessions alive in that snapshot. */
  sessions: SessionInfo[];
  /** Durable log entries with zxid > snapshotZxid, ascending and continuous. */
  log: TxnEntry[];
}

/** A source of randomness injected into the core (seeded in tests and the simulator). */
export interface Prng {
  /** A uniformly distributed integer in [0, bound). */
  int(bound: number): number;
}
