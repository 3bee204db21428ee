/**
 * The replication seam: how this member orders, makes durable and applies writes.
 *
 * The client-facing server (connections, handshakes, reads, watches, replies: the
 * "host") never changes the database itself. Everything that must consume a zxid goes
 * through a `Replication`:
 *
 *   client writes   create*, delete, setData, setACL, check, multi, reconfig,
 *                   deleteContainer (client-sent → BadArguments), closeSession
 *   sessions        createSession (new connection), closeSession (client or expiry)
 *   server-internal container/TTL reaping, session expiry (only where prep runs)
 *
 * and `sync`, which consumes no zxid but is ordered with them. Reads are the host's
 * business: it runs them against the local database once the session's earlier writes
 * have been applied (per-session FIFO, wire-protocol.md §17).
 *
 * THE CONTRACT
 *
 * 1. `submit(req)` takes a serialized request: session id, cxid, opcode, the raw request
 *    record bytes after the RequestHeader, and the connection's auth ids at submit time.
 *    It is exactly what a follower forwards to the leader (zab.md §4.1 REQUEST), so Prep
 *    can run on whichever member prepares txns. `submit` never throws for bad input: a
 *    request that fails validation or cannot be decoded still becomes a txn (an ErrorTxn
 *    that consumes a zxid, §5). Requests of one session are submitted in the session's
 *    order and must be committed in that order.
 *
 * 2. Every txn applied to the local database is reported through `host.applied(entry,
 *    result)`, strictly in zxid order, synchronously right after `ZkDatabase.apply` and
 *    before the next txn is applied. That includes txns of sessions owned by other
 *    members (their watches fire here too) and server-internal ones (sessionId 0). The
 *    host fires watches, then answers the request it has pending for (entry.sessionId,
 *    entry.cxid), if any: a committed txn is how the owner learns the result of a write,
 *    on every role. An applied createSession for a session the host is handshaking
 *    completes that handshake; an applied closeSession closes that session's connection
 *    (replying first if the client asked for it, silently on expiry, §13.2).
 *
 * 3. `createSession(id, timeout, passwd)`: the host generated the id (sessions/, §13.1)
 *    and the password. The implementation replicates a createSession txn (the password is
 *    replicated in it, docs/architecture.md) and reports it through `applied`. An
 *    implementation that creates a session without a txn (read-only mode with local
 *    sessions, zab.md §6) or cannot create it (it stopped serving read-write before the
 *    txn could be ordered) calls `host.sessionReady(id, ok)` instead; for `ok` false the
 *    host closes the connection without a reply, so the client tries again.
 *
 * 4. `sync(sessionId, path, done)`: call `done()` once every txn the member that prepares
 *    txns (the leader; this member when standalone) had committed when it handled the
 *    sync has been applied locally (zab.md §4.5). Standalone: once everything submitted
 *    before the sync is applied. `done` is called at most once, and never after `close()`.
 *
 * 5. Sessions: `touch(id)` on every packet from the client (§13.2); `revalidate(id,
 *    timeout, done)` when a client reconnects with an existing session (the host has
 *    already checked the password against the replicated session record): answer
 *    `valid` if the session is alive and not closing, refreshing it with the renegotiated
 *    timeout; `expired` if it is not; `unavailable` if the member cannot tell because it
 *    is not serving read-write (no leader, shutting down) — then the host closes the
 *    connection without a reply and the client tries again, its session intact. Expiry
 *    is the implementation's job where global session tracking lives (standalone; the
 *    leader): it submits a closeSession txn for the expired session.
 *    `connectionClosed(id)` tells it a local connection of that session went away (the
 *    session itself lives on until it expires or is closed).
 *
 * 6. Serving: `serving()` says whether clients may be served. When that changes (a member
 *    loses its quorum, wins an election, enters read-only mode), the implementation calls
 *    `host.servingChanged(serving, role)`. On `false` the host closes every client
 *    connection and four-letter words answer "not currently serving" (§16, §17); the
 *    host also refuses new client connections until it is `true` again. In the
 *    `read-only` role the host itself answers writes and sync with NotReadOnly and only
 *    accepts read-only clients (§13.5); such requests never reach `submit`.
 *
 * 7. If the implementation replaces the database wholesale (a follower's SNAP sync), it
 *    calls `host.databaseReplaced(db)` before reporting further applied txns, while not
 *    serving.
 *
 * 8. Optional extras, where they apply: `reap(path)` submits a server-internal
 *    container/TTL delete (only where prep runs: standalone, the leader — the member's
 *    reaper calls it on every check interval when present); `memberState()` supplies the
 *    role-specific fields of the lab's MemberState (phase, epochs, leader, peers…);
 *    `sessionBuckets()` the expiry buckets `dump` prints and `expireSession(id)` ends one
 *    on demand for the lab and `sessionTimeLeft()` says when each will expire (both where global sessions are tracked); `quorumFigures()` and `proposalSizes()` the ensemble lines of `mntr` and
 *    `srvr`.
 *
 * THE STANDALONE IMPLEMENTATION (standalone-replication.ts) is: Prep assigns the next
 * zxid → entries are batched and appended to the TxnLog (group commit: one append per
 * batch, never one await per write) → when durable, applied in zxid order → `applied`.
 * A leader is the same with propose/ack/commit between "prepared" and "applied"; a
 * follower or observer forwards `submit`/`createSession`/`sync` to the leader and only
 * applies what the leader commits.
 */
import type { Id } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';
import type { ApplyResult } from '../tree/types.js';
import type { MemberRole, MemberState } from '../quorum/protocol-events.js';
import type { MonitorFigures } from './mntr.js';
import type { ZkDatabase } from '../tree/zk-database.js';

/** A client request as it travels to whichever member prepares txns (zab.md §4.1 REQUEST). */
export interface WriteRequest {
  sessionId: bigint;
  cxid: number;
  /** The opcode from the RequestHeader (OpCode). */
  op: number;
  /** The request record's bytes after the RequestHeader (may be empty or malformed). */
  body: Buffer;
  /** The connection's auth ids when the request arrived (ip, digest, super…). */
  authIds: Id[];
}

/** What the host needs to know about the replication's progress (4lw, mntr, lab state). */
export interface ReplicationStats {
  /** Writes submitted and not yet applied locally. */
  outstanding: number;
  /** sync requests waiting. */
  pendingSyncs: number;
  /** Last zxid made durable in this member's log. */
  lastLoggedZxid: bigint;
}

/** What `revalidate` found (contract point 5). */
export type Revalidation = 'valid' | 'expired' | 'unavailable';

/** The client-facing side, implemented by the server. */
export interface ReplicationHost {
  /** One call per txn applied locally, in zxid order, right after it was applied. */
  applied(entry: TxnEntry, result: ApplyResult): void;
  /** A createSession that completed (or failed) without a txn (see contract point 3). */
  sessionReady(sessionId: bigint, ok: boolean): void;
  /** Serving state or role changed (contract point 6). */
  servingChanged(serving: boolean, role: MemberRole): void;
  /** The database object was replaced (contract point 7). */
  databaseReplaced(db: ZkDatabase): void;
}

export interface Replication {
  /** What this member is right now (4lw `Mode:`, mntr `zk_server_state`, lab state). */
  readonly role: MemberRole;
  serving(): boolean;
  /** Starts ordering writes; `host` receives everything applied from now on. */
  start(host: ReplicationHost): void;
  submit(req: WriteRequest): void;
  createSession(sessionId: bigint, timeout: number, passwd: Buffer): void;
  sync(sessionId: bigint, path: string, done: () => void): void;
  touch(sessionId: bigint): void;
  revalidate(sessionId: bigint, timeout: number, done: (verdict: Revalidation) => void): void;
  connectionClosed(sessionId: bigint): void;
  /** Last zxid applied to the local database (the handshake's lastZxidSeen check, §4.2). */
  lastAppliedZxid(): bigint;
  stats(): ReplicationStats;
  /** Submits a container/TTL delete (contract point 8); absent where prep does not run. */
  reap?(path: string): void;
  /** Role-specific MemberState fields (contract point 8). */
  memberState?(): Partial<MemberState>;
  /** Expiry buckets for `dump` (contract point 8). */
  sessionBuckets?(): { expiresAt: number; sessions: bigint[] }[];
  /**
   * Expires a session now, as its timeout would (contract point 8; where sessions expire).
   * Returns false when the session is unknown or already closing.
   */
  expireSession?(sessionId: bigint): boolean;
  /**
   * Time left before each live session expires, where global sessions are tracked (contract
   * point 8; the lab's session inspector — the expiry clock is monotonic, so `dump`'s dates
   * cannot say it). Elsewhere empty.
   */
  sessionTimeLeft?(): { sessionId: bigint; expiresInMs: number }[];
  /** Ensemble figures for `mntr` (peer state, quorum size, a leader's learners) (contract point 8). */
  quorumFigures?(): MonitorFigures['quorum'];
  /** A leader's proposal sizes in bytes for `srvr`/`stat` (contract point 8). */
  proposalSizes?(): { last: number; min: number; max: number } | undefined;
  /**
   * Stops: no more submits are accepted, writes already handed to the log are flushed and
   * applied (their replies may still go out), timers stop. Resolves when nothing is left.
   */
  close(): Promise<void>;
}
