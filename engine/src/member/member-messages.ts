/**
 * What a zk-server process and its parent (the lab supervisor, test harnesses) say to
 * each other over the IPC channel (or, member → parent only, as JSON lines on stdout
 * with `--report`). Generic on purpose: `ready` once listening, `state` periodically,
 * `events` in batches. The lab parses these with engine/src/lab/member-report.ts; 64-bit
 * values travel as hex strings (`0x1a2b`).
 *
 * The parent may ask (ParentRequest); each request with an `id` gets one `reply` with the
 * same id.
 */
import type { JsonSafe, MemberState, ReportedEvent } from '../quorum/protocol-events.js';

export type MemberMessage =
  /** The client port is bound (the actual port, also when clientPort=0 asked for a free one). */
  | { type: 'ready'; clientPort: number; clientAddress: string; sid: number; pid: number }
  | { type: 'state'; state: JsonSafe<MemberState> }
  | { type: 'events'; events: JsonSafe<ReportedEvent>[]; dropped: number }
  /** The member is shutting down (SIGTERM/SIGINT or a fatal error). */
  | { type: 'stopping'; reason: string }
  /** The answer to a ParentRequest. */
  | { type: 'reply'; id: number; ok: boolean; message: string };

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
  | { type: 'state'; id?: number };
