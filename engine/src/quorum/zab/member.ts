/**
 * What the role state machines (leader, learner) may use of the member that hosts them:
 * shared state (history, epochs, sessions) and the few actions that change it. peer.ts
 * implements it; keeping the surface small keeps each role's logic readable on its own.
 */
import type { TxnEntry } from '../../tree/txn.js';
import type { BugSwitchName } from '../../lab/api.js';
import { OpCode } from '../../jute/opcodes.js';
import type { ClientRequest, Prng, RequestPreparer, SessionInfo, SnapshotSource } from '../contracts.js';
import type { History } from '../history.js';
import type { ZabBody } from '../messages.js';
import type { LeaderLostReason, StepDownReason, ZabPhase } from '../protocol-events.js';
import type { QuorumVerifier } from '../quorum-verifier.js';
import type { Outbox, Serving } from '../ready.js';
import type { Ticks } from '../timings.js';

export interface Member {
  readonly sid: number;
  readonly qv: QuorumVerifier;
  readonly ticks: Ticks;
  readonly out: Outbox;
  readonly history: History;
  readonly preparer: RequestPreparer;
  readonly snapshots: SnapshotSource;
  readonly prng: Prng;
  /** Committed-window size kept for DIFF (zookeeper.commitLogCount). */
  readonly windowSize: number;
  /** Always SNAP (zookeeper.forceSnapshotSync), for demos and tests. */
  readonly forceSnapshotSync: boolean;
  /** Instructor bug switches this member honours (docs/teaching.md); empty in a real ensemble. */
  readonly bugs: ReadonlySet<BugSwitchName>;
  /** Empty disk in an ensemble that has data (peer.ts): ACKEPOCH reports zxid −1. */
  readonly uninitialized: boolean;
  /** Core ticks since start. */
  now(): number;
  /** Wall-clock ms as last reported by the driver (for txn times). */
  wallMs(): number;
  acceptedEpoch(): number;
  currentEpoch(): number;
  /** Queue a durable epoch write (zab.md §1.3) and update the in-memory copy. */
  persistAcceptedEpoch(epoch: number): void;
  persistCurrentEpoch(epoch: number): void;
  /** Zxid of the last txn handed to the database, and the one the database has confirmed. */
  appliedQueued(): bigint;
  appliedConfirmed(): bigint;
  /** Queue every committed entry not yet handed to the database. */
  pumpApply(): void;
  /** SNAP on a learner: replace the database (durably and in memory) with the leader's. */
  installSnapshot(zxid: bigint, bytes: Buffer, sessions: SessionInfo[]): void;
  /** Sessions alive in the applied state. */
  liveSessions(): SessionInfo[];
  /** A fresh link id (unique across restarts thanks to the incarnation). */
  newLinkId(): number;
  setPhase(phase: ZabPhase): void;
  setServing(serving: Serving): void;
  /** The peerEpoch of my settled vote, refreshed after sync (ZOOKEEPER-1732). */
  refreshVoteEpoch(epoch: number): void;
  /** Give up the current role and start a new election. */
  stepDown(reason: StepDownReason, detail: string): void;
  leaderLost(reason: LeaderLostReason, detail: string): void;
  /** Send a ZAB body on a link (the role built the packet). */
  sendZab(to: number, packet: { link: number; seq: number; body: ZabBody }, early?: boolean): void;
}

/** Builds the error transaction a rejected request becomes (it still takes a zxid, wire-protocol.md §5). */
export function errorEntry(request: ClientRequest, zxid: bigint, timeMs: number, err: number): TxnEntry {
  return { zxid, sessionId: request.sessionId, cxid: request.cxid, time: timeMs, txn: { op: OpCode.error, err } };
}
