/**
 * The one typed definition of what a member tells the world about itself: a state
 * snapshot (`MemberState`) and a stream of protocol events (`ProtocolEvent`). The lab
 * draws them, the simulator's checkers read them, the logs print them with
 * `describeEvent`. Pure data: no timestamps inside an event (the protocol core has no
 * clock); the driver that streams them wraps each in a `ReportedEvent` envelope with the
 * member id, a sequence number and its wall-clock time.
 *
 * Stability contract: kinds and fields are only ever added, never renamed or removed.
 * 64-bit values (zxids, session ids) are `bigint`; over JSON (IPC, WebSocket) they travel
 * as hex strings, see `toJsonSafe`/`fromJsonSafe` at the bottom. The field naming rule
 * that makes this lossless is checked by the compiler: a bigint field is named `zxid`,
 * `sessionId`, or ends in `Zxid`.
 *
 * Names follow zab.md: roles are ZooKeeper's ServerState (§1.1) plus our `standalone` and
 * `read-only`; phases are ZabState; sync modes are SyncMode (§3.3).
 */
import { zxidLabel, hex } from '../jute/zxid.js';

// ---------------------------------------------------------------------------------------
// Vocabulary

/** What a member currently is. `read-only` = LOOKING but serving reads (zab.md §6). */
export type MemberRole = 'looking' | 'following' | 'leading' | 'observing' | 'standalone' | 'read-only';
export const MEMBER_ROLES: readonly MemberRole[] = ['looking', 'following', 'leading', 'observing', 'standalone', 'read-only'];

/** ZooKeeper's ServerState as carried in election notifications (zab.md §2.1). */
export type PeerState = 'looking' | 'following' | 'leading' | 'observing';

/** ZabState (zab.md §1.1): where a member is in the protocol. */
export type ZabPhase = 'election' | 'discovery' | 'synchronization' | 'broadcast';
export const ZAB_PHASES: readonly ZabPhase[] = ['election', 'discovery', 'synchronization', 'broadcast'];

/** How the leader brings a learner up to date (zab.md §3.3). */
export type SyncMode = 'DIFF' | 'TRUNC' | 'SNAP';

/** Whether a member votes (participant) or only follows (observer), zab.md §1.1, §7. */
export type LearnerType = 'participant' | 'observer';

/**
 * A vote as FLE orders it (zab.md §2.1–2.2): candidate `leader`, its last logged `zxid`
 * and `peerEpoch` (its currentEpoch), proposed in election `round` (logicalclock).
 */
export interface Vote {
  leader: number;
  zxid: bigint;
  peerEpoch: number;
  round: number;
}

/** Why a leader gave up leadership (zab.md §3.2, §4.4, §1.4). */
export type StepDownReason =
  /** Synced voters + self no longer a quorum (tick check, §4.4). */
  | 'lost-quorum'
  /** No quorum of FOLLOWERINFO within initLimit (§3.2 step 3). */
  | 'epoch-timeout'
  /** No quorum of ACKEPOCH within initLimit (§3.2 step 4). */
  | 'ackepoch-timeout'
  /** No quorum of NEWLEADER ACKs within initLimit (§3.2 step 7). */
  | 'newleader-timeout'
  /** Counter reached 0xffffffff: force a new epoch (§1.4, ZOOKEEPER-1277). */
  | 'zxid-rollover'
  /** A learner reported a more recent state than ours (§0 StateSummary). */
  | 'learner-ahead'
  /** The member process stopped or restarted. */
  | 'shutdown';

/** Why a learner left its leader (zab.md §3.4, §4.4). */
export type LeaderLostReason =
  /** Nothing heard from the leader within syncLimit (or initLimit before NEWLEADER). */
  | 'timeout'
  /** The connection to the leader closed. */
  | 'disconnected'
  /** The leader sent something illegal for our state (e.g. an unmatched COMMIT): a bug somewhere. */
  | 'protocol-error'
  | 'shutdown'
  /** The leader's epoch is older than one this member already promised (zab.md §3.1 step 2). */
  | 'stale-leader';

/** Why a leader dropped one learner (zab.md §4.4 SyncLimitCheck, §3.2). */
export type LearnerDropReason = 'timeout' | 'disconnected' | 'protocol-error' | 'ahead-of-leader' | 'ack-overdue';

/** Why a session ended (zab.md §5). */
export type SessionCloseReason = 'client' | 'expired';

// ---------------------------------------------------------------------------------------
// State snapshot

/**
 * Everything the lab shows in a member's card. Produced by the member on request and
 * periodically; cheap to build (counters, no walks of the tree: `digest` is maintained
 * incrementally by the tree).
 */
export interface MemberState {
  sid: number;
  role: MemberRole;
  /** null for a standalone member, which runs no ZAB. */
  phase: ZabPhase | null;
  learnerType: LearnerType;
  /** Persisted promise (zab.md §1.3). */
  acceptedEpoch: number;
  /** Persisted accepted history epoch (zab.md §1.3). */
  currentEpoch: number;
  /** Last zxid in the durable log (what a vote carries). */
  lastLoggedZxid: bigint;
  /** Last zxid committed and applied to this member's tree. */
  committedZxid: bigint;
  /** The leader this member follows or is; null while looking. */
  leaderId: number | null;
  /** Election round (logicalclock), 0 before the first election. */
  round: number;
  /** The vote this member currently proposes or settled on; null for standalone. */
  vote: Vote | null;
  /** Peers with an open connection to this member (election or quorum), ascending sids. */
  peersConnected: number[];
  /** Leader only: learners connected to it (followers and observers), ascending sids. */
  learners: number[];
  /** Leader only: learners synced (heard from within syncLimit and past NEWLEADER). */
  syncedLearners: number[];
  /** Leader only: proposals sent but not yet committed. */
  outstandingProposals: number;
  /** sync requests parked until a zxid commits (mntr zk_pending_syncs). */
  pendingSyncs: number;
  /** Whether client connections are being served (false while looking, unless read-only). */
  serving: boolean;
  sessionCount: number;
  znodeCount: number;
  /** Digest of the data tree at `committedZxid`, as lowercase hex; equal trees ⇔ equal digests. */
  digest: string;
  /**
   * Instructor bug switches this member runs with (zoolab.bugs, docs/teaching.md), sorted;
   * absent when none — a member card shows them as a warning.
   */
  bugs?: string[];
}

// ---------------------------------------------------------------------------------------
// Events

/** Every event kind with its fields. Add kinds at the end; never change existing ones. */
export type ProtocolEvent =
  // --- roles and phases ---
  /** The member's role or ZAB phase changed. */
  | { kind: 'role-changed'; role: MemberRole; phase: ZabPhase | null; previousRole: MemberRole; previousPhase: ZabPhase | null }
  // --- transport ---
  | { kind: 'peer-connected'; peer: number }
  | { kind: 'peer-disconnected'; peer: number }
  // --- fast leader election (zab.md §2) ---
  /** lookForLeader started a new round with this initial vote. */
  | { kind: 'election-started'; round: number; vote: Vote }
  /** A notification went out to `to` carrying my vote and my state. */
  | { kind: 'vote-sent'; to: number; vote: Vote; state: PeerState }
  /** A notification arrived from `from` carrying its vote and state. */
  | { kind: 'vote-received'; from: number; vote: Vote; state: PeerState }
  /** I changed my proposal to a better candidate (or to a newer round's). */
  | { kind: 'vote-changed'; vote: Vote; because: number }
  /** Election over: `leader` won with the support of `voters`; `role` is what I become. */
  | { kind: 'election-decided'; leader: number; round: number; peerEpoch: number; zxid: bigint; role: MemberRole; voters: number[] }
  // --- discovery (zab.md §3.1–3.2) ---
  /** Leader: a learner registered with FOLLOWERINFO/OBSERVERINFO. */
  | { kind: 'learner-connected'; learner: number; learnerType: LearnerType; acceptedEpoch: number }
  /** Leader: a learner was dropped. */
  | { kind: 'learner-disconnected'; learner: number; reason: LearnerDropReason }
  /** Leader: the new epoch e' is fixed (a quorum of FOLLOWERINFO incl. self). */
  | { kind: 'epoch-proposed'; epoch: number; voters: number[] }
  /** Learner: LEADERINFO accepted (acceptedEpoch raised, or equal). */
  | { kind: 'epoch-accepted'; epoch: number; leader: number }
  /** Leader: ACKEPOCH from a learner with its state summary. */
  | { kind: 'epoch-acked'; learner: number; currentEpoch: number; lastZxid: bigint }
  /** An epoch file was made durable (zab.md §1.3). */
  | { kind: 'epoch-persisted'; which: 'accepted' | 'current'; epoch: number }
  // --- synchronization (zab.md §3.3–3.4) ---
  /** Leader: sync mode chosen for a learner. `zxid` is the packet's zxid (DIFF: leader's max committed; TRUNC: truncation point; SNAP: snapshot point). */
  | { kind: 'sync-chosen'; learner: number; mode: SyncMode; peerZxid: bigint; zxid: bigint; txnCount: number }
  /** Learner: first sync packet received. */
  | { kind: 'sync-received'; leader: number; mode: SyncMode; zxid: bigint }
  /** Learner: log truncated to `zxid` (entries above it removed). */
  | { kind: 'truncated'; zxid: bigint; removed: number }
  /** Learner: a snapshot from the leader replaced my tree. */
  | { kind: 'snapshot-loaded'; zxid: bigint }
  /** Learner: NEWLEADER processed (sync txns durable, currentEpoch persisted) and ACKed. */
  | { kind: 'newleader-acked'; epoch: number; leader: number }
  /** Leader: a learner ACKed NEWLEADER. */
  | { kind: 'learner-synced'; learner: number }
  /** Leader: a quorum ACKed NEWLEADER; broadcast begins with lastCommitted = (epoch, 0). */
  | { kind: 'leader-established'; epoch: number; voters: number[] }
  /** Learner: UPTODATE received; now serving. */
  | { kind: 'uptodate'; leader: number; epoch: number }
  // --- broadcast (zab.md §4) ---
  /** Leader: PROPOSAL sent to voters (`op` is the opcode name, e.g. 'create'). */
  | { kind: 'proposal-sent'; zxid: bigint; op: string; sessionId: bigint; to: number[] }
  /** Learner: PROPOSAL received (held during sync, logged afterwards). */
  | { kind: 'proposal-received'; zxid: bigint; op: string; from: number }
  /** Entries up to `zxid` became durable in this member's log. */
  | { kind: 'logged'; zxid: bigint; count: number }
  /** Follower: ACK sent after the proposal was durable. */
  | { kind: 'ack-sent'; zxid: bigint; to: number }
  /** Leader: ACK received (its own ACK after fsync counts too, `from` = leader's sid). */
  | { kind: 'ack-received'; zxid: bigint; from: number }
  /** The txn was committed and applied on this member (leader: COMMIT/INFORM sent). */
  | { kind: 'committed'; zxid: bigint; op: string }
  /** Learner: a client write was forwarded to the leader as REQUEST. */
  | { kind: 'request-forwarded'; sessionId: bigint; cxid: number; op: string; leader: number }
  /** A client `sync` was parked until `zxid` commits, or released (zab.md §4.5). */
  | { kind: 'sync-parked'; sessionId: bigint; zxid: bigint }
  | { kind: 'sync-released'; sessionId: bigint; zxid: bigint }
  // --- liveness (zab.md §4.4) ---
  /** Leader gave up leadership. */
  | { kind: 'leader-stepped-down'; epoch: number; reason: StepDownReason; detail: string }
  /** Learner left its leader. */
  | { kind: 'leader-lost'; leader: number; reason: LeaderLostReason; detail: string }
  // --- sessions (zab.md §5) ---
  | { kind: 'session-created'; sessionId: bigint; timeoutMs: number; zxid: bigint }
  /** Leader: the tracker found the session dead and submitted closeSession. */
  | { kind: 'session-expired'; sessionId: bigint }
  /** closeSession applied on this member; `ephemerals` deleted with it. */
  | { kind: 'session-closed'; sessionId: bigint; reason: SessionCloseReason; ephemerals: number; zxid: bigint }
  /** Leader: REVALIDATE answered (a client moved its session to `owner`). */
  | { kind: 'session-revalidated'; sessionId: bigint; owner: number; valid: boolean }
  // --- watches and read-only mode ---
  | { kind: 'watch-fired'; sessionId: bigint; path: string; type: number; zxid: bigint }
  /** Read-only server armed (`entered`) or torn down (zab.md §6). */
  | { kind: 'read-only'; entered: boolean };

export type ProtocolEventKind = ProtocolEvent['kind'];
export type EventOf<K extends ProtocolEventKind> = Extract<ProtocolEvent, { kind: K }>;

/** A reported event: the member, its per-member sequence number and wall-clock time (ms). */
export interface ReportedEvent {
  sid: number;
  seq: number;
  timeMs: number;
  event: ProtocolEvent;
}

// ---------------------------------------------------------------------------------------
// Sink

/**
 * Where a member sends its events. `enabled` lets emitters skip building an event when
 * nobody listens, so an idle sink costs one property read. A sink must not block or throw
 * (hashicorp/raft observer.go): slow consumers buffer or drop on their side.
 */
export interface ProtocolEventSink {
  readonly enabled: boolean;
  emit(event: ProtocolEvent): void;
  /**
   * The member's role or serving state just changed: a listener that shows `MemberState`
   * (the member's reporter) should send a fresh one now rather than at its next interval,
   * so a card never says "leader" for a member that stepped down. Called whether or not
   * events are streamed.
   */
  stateChanged?(): void;
}

/** The sink used when nobody listens. */
export const NO_EVENTS: ProtocolEventSink = Object.freeze({ enabled: false, emit(): void {} });

/** A sink that keeps everything in an array (tests, simulator, goldens). */
export class RecordingSink implements ProtocolEventSink {
  readonly enabled = true;
  readonly events: ProtocolEvent[] = [];
  emit(event: ProtocolEvent): void {
    this.events.push(event);
  }
  /** Returns and forgets what was recorded. */
  drain(): ProtocolEvent[] {
    return this.events.splice(0, this.events.length);
  }
}

/** A sink forwarding to several sinks; enabled if any is. */
export function fanOut(...sinks: ProtocolEventSink[]): ProtocolEventSink {
  const live = sinks.filter((s) => s.enabled);
  if (live.length === 0) return NO_EVENTS;
  if (live.length === 1) return live[0]!;
  return { enabled: true, emit: (e) => live.forEach((s) => s.emit(e)), stateChanged: () => live.forEach((s) => s.stateChanged?.()) };
}

// ---------------------------------------------------------------------------------------
// JSON-safe encoding (IPC, WebSocket, the lab's SQLite)

/** `T` with every bigint replaced by its hex string, recursively. */
export type JsonSafe<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : T;

/** Field names that hold bigints. Everything JSON-encoded below follows this rule. */
type BigintKeyName = 'zxid' | 'sessionId' | `${string}Zxid`;
type KeysHoldingBigint<T> = T extends readonly (infer U)[]
  ? KeysHoldingBigint<U>
  : T extends object
    ? { [K in keyof T]-?: (NonNullable<T[K]> extends bigint ? K : never) | KeysHoldingBigint<NonNullable<T[K]>> }[keyof T]
    : never;
/** Compile-time proof that the naming rule covers every bigint field (fails to compile otherwise). */
type Misnamed = Exclude<KeysHoldingBigint<ProtocolEvent | MemberState | ReportedEvent>, BigintKeyName>;
const namingRuleHolds: [Misnamed] extends [never] ? true : Misnamed = true;
void namingRuleHolds;

function isBigintKey(key: string): boolean {
  return key === 'zxid' || key === 'sessionId' || key.endsWith('Zxid');
}

/** bigint → '0x1f' / '-0x1' (zxid -1 is "no data", zab.md §1.4). */
export function bigintToHex(v: bigint): string {
  return v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
}

export function hexToBigint(s: string): bigint {
  const m = /^(-?)0x([0-9a-f]+)$/i.exec(s);
  if (!m) throw new Error(`expected a hex string like 0x1f, got ${JSON.stringify(s)}`);
  const v = BigInt('0x' + m[2]);
  return m[1] ? -v : v;
}

function encodeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return bigintToHex(v);
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeValue(x);
    return out;
  }
  return v;
}

function decodeValue(v: unknown, key: string): unknown {
  if (typeof v === 'string' && isBigintKey(key)) return hexToBigint(v);
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, ''));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeValue(x, k);
    return out;
  }
  return v;
}

/** Converts an event, a state or an envelope into a value `JSON.stringify` accepts. */
export function toJsonSafe<T extends ProtocolEvent | MemberState | ReportedEvent>(value: T): JsonSafe<T> {
  return encodeValue(value) as JsonSafe<T>;
}

/** Inverse of `toJsonSafe`; throws on a malformed hex field. Shapes are trusted (our own processes). */
export function fromJsonSafe<T extends ProtocolEvent | MemberState | ReportedEvent>(value: JsonSafe<T>): T {
  return decodeValue(value, '') as T;
}

// ---------------------------------------------------------------------------------------
// One-line descriptions (logs, goldens, UI tooltips)

export function describeVote(v: Vote): string {
  return `(leader=${v.leader} zxid=${zxidLabel(v.zxid)} epoch=${v.peerEpoch} round=${v.round})`;
}

/** A stable one-line text for an event, e.g. `ack-received 3:7 from 2`. */
export function describeEvent(e: ProtocolEvent): string {
  switch (e.kind) {
    case 'role-changed':
      return `role-changed ${e.previousRole}/${e.previousPhase ?? '-'} -> ${e.role}/${e.phase ?? '-'}`;
    case 'peer-connected':
    case 'peer-disconnected':
      return `${e.kind} ${e.peer}`;
    case 'election-started':
      return `election-started round=${e.round} vote=${describeVote(e.vote)}`;
    case 'vote-sent':
      return `vote-sent to ${e.to} ${describeVote(e.vote)} as ${e.state}`;
    case 'vote-received':
      return `vote-received from ${e.from} ${describeVote(e.vote)} ${e.state}`;
    case 'vote-changed':
      return `vote-changed ${describeVote(e.vote)} because of ${e.because}`;
    case 'election-decided':
      return `election-decided leader=${e.leader} round=${e.round} epoch=${e.peerEpoch} zxid=${zxidLabel(e.zxid)} -> ${e.role} voters=[${e.voters.join(',')}]`;
    case 'learner-connected':
      return `learner-connected ${e.learner} ${e.learnerType} acceptedEpoch=${e.acceptedEpoch}`;
    case 'learner-disconnected':
      return `learner-disconnected ${e.learner} (${e.reason})`;
    case 'epoch-proposed':
      return `epoch-proposed ${e.epoch} voters=[${e.voters.join(',')}]`;
    case 'epoch-accepted':
      return `epoch-accepted ${e.epoch} from ${e.leader}`;
    case 'epoch-acked':
      return `epoch-acked by ${e.learner} currentEpoch=${e.currentEpoch} last=${zxidLabel(e.lastZxid)}`;
    case 'epoch-persisted':
      return `epoch-persisted ${e.which}=${e.epoch}`;
    case 'sync-chosen':
      return `sync-chosen ${e.mode} for ${e.learner} peer=${zxidLabel(e.peerZxid)} zxid=${zxidLabel(e.zxid)} txns=${e.txnCount}`;
    case 'sync-received':
      return `sync-received ${e.mode} ${zxidLabel(e.zxid)} from ${e.leader}`;
    case 'truncated':
      return `truncated to ${zxidLabel(e.zxid)} removed=${e.removed}`;
    case 'snapshot-loaded':
      return `snapshot-loaded ${zxidLabel(e.zxid)}`;
    case 'newleader-acked':
      return `newleader-acked epoch=${e.epoch} to ${e.leader}`;
    case 'learner-synced':
      return `learner-synced ${e.learner}`;
    case 'leader-established':
      return `leader-established epoch=${e.epoch} voters=[${e.voters.join(',')}]`;
    case 'uptodate':
      return `uptodate epoch=${e.epoch} from ${e.leader}`;
    case 'proposal-sent':
      return `proposal-sent ${zxidLabel(e.zxid)} ${e.op} session=${hex(e.sessionId)} to [${e.to.join(',')}]`;
    case 'proposal-received':
      return `proposal-received ${zxidLabel(e.zxid)} ${e.op} from ${e.from}`;
    case 'logged':
      return `logged up to ${zxidLabel(e.zxid)} (${e.count})`;
    case 'ack-sent':
      return `ack-sent ${zxidLabel(e.zxid)} to ${e.to}`;
    case 'ack-received':
      return `ack-received ${zxidLabel(e.zxid)} from ${e.from}`;
    case 'committed':
      return `committed ${zxidLabel(e.zxid)} ${e.op}`;
    case 'request-forwarded':
      return `request-forwarded ${e.op} session=${hex(e.sessionId)} cxid=${e.cxid} to ${e.leader}`;
    case 'sync-parked':
    case 'sync-released':
      return `${e.kind} session=${hex(e.sessionId)} at ${zxidLabel(e.zxid)}`;
    case 'leader-stepped-down':
      return `leader-stepped-down epoch=${e.epoch} (${e.reason}) ${e.detail}`.trimEnd();
    case 'leader-lost':
      return `leader-lost ${e.leader} (${e.reason}) ${e.detail}`.trimEnd();
    case 'session-created':
      return `session-created ${hex(e.sessionId)} timeout=${e.timeoutMs} at ${zxidLabel(e.zxid)}`;
    case 'session-expired':
      return `session-expired ${hex(e.sessionId)}`;
    case 'session-closed':
      return `session-closed ${hex(e.sessionId)} (${e.reason}) ephemerals=${e.ephemerals} at ${zxidLabel(e.zxid)}`;
    case 'session-revalidated':
      return `session-revalidated ${hex(e.sessionId)} owner=${e.owner} ${e.valid ? 'valid' : 'invalid'}`;
    case 'watch-fired':
      return `watch-fired ${e.path} type=${e.type} session=${hex(e.sessionId)} at ${zxidLabel(e.zxid)}`;
    case 'read-only':
      return `read-only ${e.entered ? 'entered' : 'left'}`;
  }
}
