/**
 * What a zk-server process and its parent (the lab supervisor, test harnesses) say to
 * each other over the IPC channel (or, member → parent only, as JSON lines on stdout
 * with `--report`). Generic on purpose: `ready` once listening, `state` periodically,
 * `events` in batches. The lab parses these with engine/src/lab/member-report.ts; 64-bit
 * values travel as hex strings (`0x1a2b`).
 *
 * The parent may ask (ParentRequest); each request with an `id` gets one `reply` with the
 * same id. Requests that read something answer in the reply's `value` (JSON-safe: 64-bit
 * values as hex strings).
 */
import type { JsonSafe, MemberState, ReportedEvent } from '../quorum/protocol-events.js';

export type MemberMessage =
  /** The client port is bound (the actual port, also when clientPort=0 asked for a free one). */
  | { type: 'ready'; clientPort: number; clientAddress: string; sid: number; pid: number }
  | { type: 'state'; state: JsonSafe<MemberState> }
  | { type: 'events'; events: JsonSafe<ReportedEvent>[]; dropped: number }
  /** The member is shutting down (SIGTERM/SIGINT or a fatal error). */
  | { type: 'stopping'; reason: string }
  /** The answer to a ParentRequest; `value` carries the data of requests that read something. */
  | { type: 'reply'; id: number; ok: boolean; message: string; value?: ReplyValue };

/** What `node-info` answers: the facts a client cannot see (wire-protocol.md §10.3, §10.4). */
export interface NodeInfoValue {
  path: string;
  /** From the stored ephemeralOwner: clients see 0 for containers and TTL nodes. */
  mode: 'persistent' | 'ephemeral' | 'container' | 'ttl';
  /** The TTL in ms, for TTL nodes. */
  ttlMs?: number;
  /** Identifies this incarnation of the path (a node deleted and created again has another). */
  czxid: string;
}

/** What `search-paths` answers (path-search.ts). */
export interface PathSearchValue {
  matches: string[];
  total: number;
  visited: number;
  complete: boolean;
}

/** What `session-expiry` answers: time left per live session, where sessions expire. */
export interface SessionExpiryValue {
  sessions: { sessionId: string; expiresInMs: number }[];
}

export type ReplyValue = NodeInfoValue | PathSearchValue | SessionExpiryValue | null;

export type ParentRequest =
  /**
   * Expire this session now, as if its timeout had passed (closeSession txn, ephemerals
   * deleted, its connection closed silently). Only where sessions expire: a standalone
   * member or the leader.
   */
  | { type: 'expire-session'; id?: number; sessionId: string }
  /** Take a snapshot now. */
  | { type: 'snapshot'; id?: number }
  /** Send a `state` message now. */
  | { type: 'state'; id?: number }
  /** The raw kind of one znode (value: NodeInfoValue, or null when it does not exist). */
  | { type: 'node-info'; id?: number; path: string }
  /** One page of the paths matching a substring or glob (value: PathSearchValue). */
  | { type: 'search-paths'; id?: number; query: string; offset?: number; limit?: number }
  /** Time left before each live session expires (value: SessionExpiryValue; empty on a follower). */
  | { type: 'session-expiry'; id?: number };
