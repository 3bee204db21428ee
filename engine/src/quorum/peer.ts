/**
 * One ensemble member's protocol core (style.md B3, etcd rawnode shape):
 *
 *   step(from, message)   a peer message arrived
 *   tick(wallMs?)         `resolutionMs` of time passed
 *   submit / sync / revalidate / touch   local client activity
 *   linkDown(peer)        the transport lost its connection to a peer
 *   ready() → Ready       what to persist, send, apply and report (see ready.ts for the order)
 *   advance()             the last Ready was fully handled
 *
 * The member is LOOKING (Fast Leader Election, election.ts), LEADING (zab/leader.ts) or
 * FOLLOWING / OBSERVING (zab/learner.ts); leaving a role always goes back to LOOKING
 * (zab.md §1.2). Pure: no clock, timer, randomness or I/O except through the injected
 * interfaces, so the simulator replays a member exactly from its inputs.
 */
import { zxidLabel } from '../jute/zxid.js';
import type { BugSwitchName } from '../lab/api.js';
import { OpCode, opName } from '../jute/opcodes.js';
import type { ClientRequest, DurableState, Prng, RequestPreparer, SessionInfo, SnapshotSource } from './contracts.js';
import { Election, type ElectionDecision } from './election.js';
import { History } from './history.js';
import { numberedBefore, type Notification, type Outgoing, type PeerMessage, type ZabBody } from './messages.js';
import type {
  LeaderLostReason,
  LearnerType,
  MemberRole,
  MemberState,
  PeerState,
  StepDownReason,
  Vote,
  ZabPhase,
} from './protocol-events.js';
import { type MemberSpec, QuorumVerifier } from './quorum-verifier.js';
import { type ApplyItem, Outbox, type Ready, type Serving } from './ready.js';
import { type QuorumTimingConfig, type Ticks, toTicks } from './timings.js';
import { NO_CANDIDATE } from './vote-order.js';
import { LeaderRole } from './zab/leader.js';
import { LearnerRole } from './zab/learner.js';
import type { Member } from './zab/member.js';

export interface PeerOptions {
  sid: number;
  members: readonly MemberSpec[];
  timing: QuorumTimingConfig;
  /** Distinct for every start of this member (link ids must not repeat across restarts). */
  incarnation: number;
  /** Committed entries kept for DIFF (zookeeper.commitLogCount, 500); smaller demos SNAP. */
  windowSize?: number;
  forceSnapshotSync?: boolean;
  /** readonlymode.enabled (zab.md §6). */
  readOnlyEnabled?: boolean;
  /** Build protocol events (false: the cheap no-op path). */
  recordEvents?: boolean;
  /**
   * Instructor bug switches (docs/teaching.md "Bug switches"): protocol rules broken on
   * purpose so a lab can show the violation. Never set outside a lab created with them.
   */
  bugs?: readonly BugSwitchName[];
}

export interface PeerDeps {
  preparer: RequestPreparer;
  snapshots: SnapshotSource;
  prng: Prng;
}

/** Database figures the core does not track itself, for `state()`. */
export interface DatabaseFigures {
  znodeCount: number;
  digest: string;
}

type Role =
  | { kind: 'looking'; election: Election | null; startAt: number }
  | { kind: 'leading'; leader: LeaderRole }
  | { kind: 'learning'; learner: LearnerRole };

/** Max random delay before an observer looks for a new leader (zab.md §1.2: 0–200 ms). */
const OBSERVER_ELECTION_DELAY_MS = 200;

export class QuorumPeer implements Member {
  readonly sid: number;
  readonly qv: QuorumVerifier;
  readonly ticks: Ticks;
  readonly out: Outbox;
  readonly history: History;
  readonly preparer: RequestPreparer;
  readonly snapshots: SnapshotSource;
  readonly prng: Prng;
  readonly windowSize: number;
  readonly forceSnapshotSync: boolean;
  readonly learnerType: LearnerType;
  readonly bugs: ReadonlySet<BugSwitchName>;
  private readonly readOnlyEnabled: boolean;
  private readonly incarnation: number;

  private role: Role;
  private roleName: MemberRole = 'looking';
  private phase: ZabPhase = 'election';
  private vote: Vote;
  /** logicalclock: survives elections, not restarts. */
  private round = 0;
  private nowTicks = 0;
  private wall = 0;
  private accepted: number;
  private current: number;
  private applied: bigint;
  private confirmed: bigint;
  private confirmOnAdvance: bigint | null = null;
  /** What `readyNow()` must not overtake in the batch being persisted. */
  private inFlight: { firstAppended: bigint | null; lastAppended: bigint | null; lateApply: boolean; lateTo: Set<number> } | null = null;
  private readonly sessions = new Map<bigint, number>();
  private serving: Serving = 'none';
  private lookingSince = 0;
  private linkCounter = 0;
  private readonly connected = new Set<number>();
  /** What votes told a member with an empty disk (see `uninitialized`). */
  private readonly emptyDisk = { heardHistory: false, heardData: false, heardFrom: new Set<number>() };
  /** Set when start-up found currentEpoch behind the log and raised it (the driver logs it). */
  repairedCurrentEpoch: { from: number; to: number } | null = null;

  constructor(opts: PeerOptions, durable: DurableState, deps: PeerDeps) {
    this.sid = opts.sid;
    this.bugs = new Set(opts.bugs ?? []);
    this.qv = new QuorumVerifier(opts.members, { smallQuorum: this.bugs.has('smallQuorum') });
    const type = this.qv.learnerType(opts.sid);
    if (!type) throw new Error(`server ${opts.sid} is not in the ensemble configuration`);
    this.learnerType = type;
    this.ticks = toTicks(opts.timing);
    // ackBeforeFsync: committed txns are applied (and clients answered) without waiting for
    // this member's own log write, as a member that acknowledged before its fsync would.
    this.out = new Outbox(opts.recordEvents ?? false, { applyBeforeDurable: this.bugs.has('ackBeforeFsync') });
    this.preparer = deps.preparer;
    this.snapshots = deps.snapshots;
    this.prng = deps.prng;
    this.windowSize = opts.windowSize ?? 500;
    this.forceSnapshotSync = opts.forceSnapshotSync ?? false;
    this.readOnlyEnabled = opts.readOnlyEnabled ?? false;
    this.incarnation = opts.incarnation >>> 0;
    // Start-up checks of QuorumPeer.loadDataBase (zab.md §1.3).
    if (durable.acceptedEpoch < durable.currentEpoch) {
      throw new Error(`acceptedEpoch ${durable.acceptedEpoch} is less than currentEpoch ${durable.currentEpoch}`);
    }
    this.accepted = durable.acceptedEpoch;
    this.current = durable.currentEpoch;
    this.history = new History(durable.snapshotZxid, durable.log);
    const lastEpoch = Number(this.history.last() >> 32n);
    if (this.current < lastEpoch) {
      // ZOOKEEPER-2354: a crash between storing a SNAP's snapshot and the atomic
      // "sync txns + currentEpoch" write leaves committed data of a newer epoch with the old
      // currentEpoch. ZooKeeper repairs it at start (its updatingEpoch marker); the data is
      // a committed prefix, so claiming its epoch is what a normal follower holding it would.
      if (lastEpoch > this.accepted) {
        throw new Error(`currentEpoch ${this.current} and acceptedEpoch ${this.accepted} are older than the last logged zxid ${zxidLabel(this.history.last())}`);
      }
      this.repairedCurrentEpoch = { from: this.current, to: lastEpoch };
      this.current = lastEpoch;
      this.out.persist.push({ op: 'currentEpoch', epoch: lastEpoch });
    }
    this.applied = durable.snapshotZxid;
    this.confirmed = durable.snapshotZxid;
    for (const s of durable.sessions) this.sessions.set(s.id, s.timeoutMs);
    this.vote = { leader: this.sid, zxid: this.history.last(), peerEpoch: this.current, round: 0 };
    this.role = { kind: 'looking', election: null, startAt: 0 };
    this.startLooking(0);
  }

  // ---- Member ------------------------------------------------------------------------

  now(): number {
    return this.nowTicks;
  }
  wallMs(): number {
    return this.wall;
  }
  acceptedEpoch(): number {
    return this.accepted;
  }
  currentEpoch(): number {
    return this.current;
  }

  persistAcceptedEpoch(epoch: number): void {
    if (epoch < this.accepted) throw new Error(`acceptedEpoch may not go back from ${this.accepted} to ${epoch}`);
    this.accepted = epoch;
    this.out.persist.push({ op: 'acceptedEpoch', epoch });
    this.out.event(() => ({ kind: 'epoch-persisted', which: 'accepted', epoch }));
  }

  persistCurrentEpoch(epoch: number): void {
    if (epoch < this.current || epoch > this.accepted) throw new Error(`currentEpoch ${epoch} outside ${this.current}..${this.accepted}`);
    this.current = epoch;
    this.out.persist.push({ op: 'currentEpoch', epoch });
    this.out.event(() => ({ kind: 'epoch-persisted', which: 'current', epoch }));
  }

  appliedQueued(): bigint {
    return this.applied;
  }
  appliedConfirmed(): bigint {
    return this.confirmed;
  }

  pumpApply(): void {
    if (this.applied >= this.history.committed) return;
    for (const entry of this.history.range(this.applied, this.history.committed)) {
      this.out.apply.push({ kind: 'txn', entry });
      const txn = entry.txn;
      const zxid = entry.zxid;
      if (txn.op === OpCode.createSession) {
        this.sessions.set(entry.sessionId, txn.timeout);
        const sessionId = entry.sessionId;
        const timeoutMs = txn.timeout;
        this.out.event(() => ({ kind: 'session-created', sessionId, timeoutMs, zxid }));
      } else if (txn.op === OpCode.closeSession) {
        this.sessions.delete(entry.sessionId);
      }
      this.out.event(() => ({ kind: 'committed', zxid, op: opName(txn.op) }));
    }
    this.applied = this.history.committed;
  }

  installSnapshot(zxid: bigint, bytes: Buffer, sessions: SessionInfo[]): void {
    this.history.resetTo(zxid);
    this.out.persist.push({ op: 'snapshot', zxid, bytes });
    this.out.apply.push({ kind: 'restore', zxid, bytes });
    this.sessions.clear();
    for (const s of sessions) this.sessions.set(s.id, s.timeoutMs);
    this.applied = zxid;
    this.out.event(() => ({ kind: 'snapshot-loaded', zxid }));
  }

  /**
   * Uninitialized (zab.md §1.4, ZOOKEEPER-261/2325): my disk holds nothing (currentEpoch 0,
   * no txn) while votes show the ensemble has a history (an epoch or a txn). A wiped member
   * looks exactly like that, and it may have acknowledged txns it no longer holds: voting
   * with zxid 0 could help elect a leader that lacks them. So, like ZooKeeper's zxid −1
   * state, it votes −1, ignores LOOKING votes, joins only a leader that others elected,
   * reports −1 in ACKEPOCH (not counted, and synced by SNAP) — until its first sync gives it
   * an epoch. Two cases need no caution: at an ensemble's very first start nobody has a
   * history; and once every other voter has been heard LOOKING and no vote carried a txn,
   * no member has data to lose (without this, members that never synced could never join a
   * member whose epoch moved on with no data, and nobody would lead). A member that still
   * LEADS or FOLLOWS is not counted: its epoch stands, so the empty members wait for it to
   * step down rather than elect one of themselves into an epoch it already used.
   */
  get uninitialized(): boolean {
    const e = this.emptyDisk;
    if (!this.blank || !e.heardHistory) return false;
    if (e.heardData) return true;
    return !this.qv.voters.every((v) => v === this.sid || e.heardFrom.has(v));
  }

  /** Nothing on my disk: no epoch accepted as history, no txn. */
  private get blank(): boolean {
    return this.current === 0 && this.history.last() === 0n;
  }

  /** Notes what a vote says about the ensemble's history while my disk is empty. */
  private noteVoteWhileBlank(from: number, vote: Vote, state: PeerState): void {
    if (!this.blank) return;
    const before = this.uninitialized;
    const e = this.emptyDisk;
    if (this.qv.isVoter(from) && state === 'looking') e.heardFrom.add(from);
    if (vote.zxid > 0n) e.heardData = true;
    if (vote.zxid > 0n || vote.peerEpoch > 0) e.heardHistory = true;
    // An election under way restarts with the right vote (−1, or 0 again).
    if (this.uninitialized !== before && this.role.kind === 'looking' && this.role.election !== null) {
      this.role.election = null;
      this.maybeStartElection();
    }
  }

  liveSessions(): SessionInfo[] {
    return [...this.sessions].map(([id, timeoutMs]) => ({ id, timeoutMs }));
  }

  newLinkId(): number {
    this.linkCounter = (this.linkCounter + 1) % 0x100000;
    return this.incarnation * 0x100000 + this.linkCounter;
  }

  setPhase(phase: ZabPhase): void {
    if (phase === this.phase) return;
    this.setRole(this.roleName, phase);
  }

  setServing(serving: Serving): void {
    if (serving === this.serving) return;
    this.serving = serving;
    this.out.serving = serving;
  }

  refreshVoteEpoch(epoch: number): void {
    this.vote = { ...this.vote, peerEpoch: epoch };
  }

  sendZab(to: number, packet: { link: number; seq: number; body: ZabBody }, early = false): void {
    const msg: PeerMessage = { type: 'zab', ...packet };
    if (numberedBefore(packet.seq) !== null) this.out.send.push({ to, msg, early: true, unordered: true });
    else this.out.send.push(early ? { to, msg, early: true } : { to, msg });
  }

  stepDown(reason: StepDownReason, detail: string): void {
    if (this.role.kind !== 'leading') return;
    const leader = this.role.leader;
    const parkedSyncs = this.bugs.has('staleReads') ? leader.localParkedSyncs() : [];
    leader.stop(reason);
    const epoch = leader.epoch ?? this.accepted;
    this.out.event(() => ({ kind: 'leader-stepped-down', epoch, reason, detail }));
    this.startLooking(0);
    this.answerStale(parkedSyncs, []);
  }

  leaderLost(reason: LeaderLostReason, detail: string): void {
    if (this.role.kind !== 'learning') return;
    const learner = this.role.learner;
    learner.stop(reason);
    this.out.event(() => ({ kind: 'leader-lost', leader: learner.leader, reason, detail }));
    const delay = this.learnerType === 'observer' ? this.prng.int(Math.ceil(OBSERVER_ELECTION_DELAY_MS / this.ticks.resolutionMs) + 1) : 0;
    this.startLooking(delay);
    this.answerStale(learner.forwarded.syncs, learner.forwarded.revalidations);
  }

  /**
   * Bug switch staleReads: a member that lost its leader keeps serving from its own
   * database, so what was waiting for the leader is answered here — a sync completes with
   * nothing behind it, a session is valid if this database still has it.
   */
  private answerStale(syncs: readonly bigint[], revalidations: readonly bigint[]): void {
    if (!this.servingStale) return;
    for (const sessionId of syncs) this.out.apply.push({ kind: 'sync', sessionId });
    for (const sessionId of revalidations) this.out.apply.push({ kind: 'revalidated', sessionId, valid: this.sessions.has(sessionId) });
  }

  /** LOOKING yet serving clients read-write: only with the staleReads bug switch. */
  private get servingStale(): boolean {
    return this.role.kind === 'looking' && this.serving === 'rw';
  }

  // ---- roles ---------------------------------------------------------------------------

  private setRole(role: MemberRole, phase: ZabPhase): void {
    const previousRole = this.roleName;
    const previousPhase = this.phase;
    this.roleName = role;
    this.phase = phase;
    this.out.role = { role, phase };
    this.out.event(() => ({ kind: 'role-changed', role, phase, previousRole, previousPhase }));
  }

  /** Enter LOOKING; the election starts after `delayTicks` (observers wait a random while). */
  private startLooking(delayTicks: number): void {
    this.role = { kind: 'looking', election: null, startAt: this.nowTicks + delayTicks };
    this.lookingSince = this.nowTicks;
    // Bug switch staleReads: keep serving (reads from this database, with no leader behind
    // it; writes are refused by the core) — no read-only mode, clients see nothing change.
    if (this.serving === 'rw' && !this.bugs.has('staleReads')) this.setServing('none');
    if (this.roleName !== 'looking' && this.roleName !== 'read-only') this.setRole('looking', 'election');
    else if (this.phase !== 'election') this.setRole(this.roleName, 'election');
    if (delayTicks === 0) this.maybeStartElection();
  }

  private maybeStartElection(): void {
    if (this.role.kind !== 'looking' || this.role.election !== null || this.nowTicks < this.role.startAt) return;
    const uninitialized = this.uninitialized;
    const zxid = uninitialized ? -1n : this.history.last();
    const initial = this.learnerType === 'participant' ? { leader: this.sid, zxid, peerEpoch: this.current } : NO_CANDIDATE;
    const election = new Election(this.sid, this.qv, this.ticks, this.out, initial, this.round, this.nowTicks, { uninitialized });
    this.role.election = election;
    this.round = election.round;
    this.vote = { ...election.proposal };
  }

  private decide(d: ElectionDecision): void {
    const leader = d.vote.leader;
    const role: MemberRole = leader === this.sid ? 'leading' : this.learnerType === 'observer' ? 'observing' : 'following';
    this.round = d.vote.round;
    this.vote = d.vote;
    const { round, peerEpoch, zxid } = d.vote;
    const voters = d.voters;
    this.out.event(() => ({ kind: 'election-decided', leader, round, peerEpoch, zxid, role, voters }));
    if (this.serving === 'ro') {
      this.setServing('none');
      this.out.event(() => ({ kind: 'read-only', entered: false }));
    } else if (this.serving === 'rw') {
      // Stale serving (bug switch staleReads) ends with the election: a sync may replace the database.
      this.setServing('none');
    }
    this.setRole(role, 'discovery');
    // The role is installed after construction; nothing a constructor does needs it.
    if (role === 'leading') this.role = { kind: 'leading', leader: new LeaderRole(this) };
    else this.role = { kind: 'learning', learner: new LearnerRole(this, leader, this.learnerType) };
  }

  private peerState(): PeerState {
    switch (this.role.kind) {
      case 'looking':
        return 'looking';
      case 'leading':
        return 'leading';
      case 'learning':
        return this.learnerType === 'observer' ? 'observing' : 'following';
    }
  }

  private sendVote(to: number): void {
    const vote = { ...this.vote };
    const state = this.peerState();
    this.out.send.push({ to, msg: { type: 'notification', vote, state } });
    this.out.event(() => ({ kind: 'vote-sent', to, vote, state }));
  }

  // ---- inputs --------------------------------------------------------------------------

  step(from: number, msg: PeerMessage): void {
    if (!this.qv.isMember(from) || from === this.sid) return;
    if (msg.type === 'notification') return this.onNotification(from, msg);
    switch (this.role.kind) {
      case 'leading':
        return this.role.leader.onPacket(from, msg);
      case 'learning':
        return this.role.learner.onPacket(from, msg);
      case 'looking':
        // Nobody leads here (yet): the learner repeats its registration until somebody does.
        return;
    }
  }

  /** The WorkerReceiver (zab.md §2.3) plus, while LOOKING, lookForLeader (§2.4). */
  private onNotification(from: number, n: Notification): void {
    this.out.event(() => ({ kind: 'vote-received', from, vote: n.vote, state: n.state }));
    this.noteVoteWhileBlank(from, n.vote, n.state);
    if (!this.qv.isVoter(from)) return this.sendVote(from);
    if (this.role.kind !== 'looking') {
      if (n.state === 'looking') this.sendVote(from);
      return;
    }
    const election = this.role.election;
    if (!election) return;
    if (n.state === 'looking' && n.vote.round < election.round) this.sendVote(from);
    const d = election.onNotification(from, n.vote, n.state, this.nowTicks);
    this.vote = { ...election.proposal };
    this.round = election.round;
    if (d) this.decide(d);
  }

  tick(wallMs?: number): void {
    this.nowTicks++;
    this.wall = wallMs ?? this.wall + this.ticks.resolutionMs;
    switch (this.role.kind) {
      case 'leading':
        return this.role.leader.onTick();
      case 'learning':
        return this.role.learner.onTick();
      case 'looking': {
        this.maybeStartElection();
        this.maybeEnterReadOnly();
        const election = this.role.election;
        if (!election) return;
        const d = election.onTick(this.nowTicks);
        if (d) this.decide(d);
        return;
      }
    }
  }

  private maybeEnterReadOnly(): void {
    if (!this.readOnlyEnabled || this.serving !== 'none') return;
    if (this.nowTicks - this.lookingSince < this.ticks.readOnlyGrace) return;
    this.setServing('ro');
    this.setRole('read-only', 'election');
    this.out.event(() => ({ kind: 'read-only', entered: true }));
  }

  /** Orders a write (or createSession/closeSession) from a local client; false if not serving read-write. */
  submit(request: ClientRequest): boolean {
    if (this.role.kind === 'leading') return this.role.leader.submit(request, this.sid);
    if (this.role.kind === 'learning') return this.role.learner.submit(request);
    return false;
  }

  /** A container/TTL reap (leader only; false elsewhere). */
  reap(path: string): boolean {
    return this.role.kind === 'leading' ? this.role.leader.reap(path) : false;
  }

  /** Expires a session on demand (leader only, zab.md §5; false elsewhere or when not live). */
  expireSession(sessionId: bigint): boolean {
    return this.role.kind === 'leading' ? this.role.leader.expireSession(sessionId) : false;
  }

  /** A client's sync (zab.md §4.5); the answer arrives as an ApplyItem `sync`. */
  sync(sessionId: bigint): boolean {
    if (this.role.kind === 'leading') {
      if (!this.role.leader.established) return false;
      this.role.leader.sync(sessionId, this.sid);
      return true;
    }
    if (this.role.kind === 'learning') return this.role.learner.sync(sessionId);
    if (this.servingStale) {
      this.answerStale([sessionId], []);
      return true;
    }
    return false;
  }

  /** A client reconnected here with an existing session; the verdict arrives as an ApplyItem. */
  revalidate(sessionId: bigint, timeoutMs: number): boolean {
    if (this.role.kind === 'leading') {
      if (!this.role.leader.established) return false;
      this.role.leader.revalidate(sessionId, this.sid);
      return true;
    }
    if (this.role.kind === 'learning') return this.role.learner.revalidate(sessionId, timeoutMs);
    if (this.servingStale) {
      this.answerStale([], [sessionId]);
      return true;
    }
    return false;
  }

  /** Client traffic on a session (any packet, including pings). */
  touch(sessionId: bigint, timeoutMs: number): void {
    if (this.role.kind === 'leading') this.role.leader.touch(sessionId);
    else if (this.role.kind === 'learning') this.role.learner.touch(sessionId, timeoutMs);
  }

  /**
   * The transport's election connection to `peer` is up or down. A fresh connection gets my
   * current vote and state (QuorumCnxManager re-sends its last message; the current one
   * cannot be stale — an old LOOKING vote would tell an empty member that nobody has data).
   */
  peerConnection(peer: number, up: boolean): void {
    if (up === this.connected.has(peer)) return;
    if (up) this.connected.add(peer);
    else this.connected.delete(peer);
    this.out.event(() => (up ? { kind: 'peer-connected', peer } : { kind: 'peer-disconnected', peer }));
    if (up) this.sendVote(peer);
  }

  /** The transport lost the connection carrying ZAB link `link` with `peer`. */
  linkClosed(peer: number, link: number): void {
    if (this.role.kind === 'leading') this.role.leader.onLinkDown(peer, link);
    else if (this.role.kind === 'learning' && this.role.learner.leader === peer && this.role.learner.linkId === link) {
      this.leaderLost('disconnected', 'connection to the leader closed');
    }
  }

  // ---- output --------------------------------------------------------------------------

  /** The next batch, or null when there is nothing to do. Call `advance()` before asking again. */
  ready(): Ready | null {
    if (this.confirmOnAdvance !== null) throw new Error('ready() called again before advance()');
    if (this.out.empty) return null;
    this.confirmOnAdvance = this.applied;
    const firstAppended = this.out.firstAppended;
    const r = this.out.take();
    // The driver applies `applyNow` before anything else (ready.ts step 0).
    for (const a of r.applyNow) if (a.kind === 'txn') this.confirmed = a.entry.zxid;
    const lateTo = new Set<number>();
    for (const o of r.send) if (!o.early) lateTo.add(o.to);
    let lastAppended: bigint | null = null;
    for (const op of r.persist) if (op.op === 'append' && op.entries.length > 0) lastAppended = op.entries[op.entries.length - 1]!.zxid;
    this.inFlight = { firstAppended, lastAppended, lateApply: r.apply.length > 0, lateTo };
    return r;
  }

  /**
   * While the last batch is being persisted: what may be applied and sent at once from
   * what arrived since (committed txns already durable, early messages that overtake
   * nothing), or null. The driver applies and sends it immediately and synchronously.
   * Cuts a disk flush from a follower's commit and a leader's COMMIT.
   */
  readyNow(): { apply: ApplyItem[]; send: Outgoing[] } | null {
    const f = this.inFlight;
    if (f === null) return null;
    const now = this.out.takeNow(f.firstAppended, f.lateTo, !f.lateApply);
    if (now.apply.length === 0 && now.send.length === 0) return null;
    for (const a of now.apply) if (a.kind === 'txn') this.confirmed = a.entry.zxid;
    return now;
  }

  /** The last batch was persisted, sent and applied. */
  advance(): void {
    if (this.confirmOnAdvance === null) throw new Error('advance() without ready()');
    if (this.confirmOnAdvance > this.confirmed) this.confirmed = this.confirmOnAdvance;
    this.confirmOnAdvance = null;
    const durable = this.inFlight?.lastAppended ?? null;
    this.inFlight = null;
    if (durable !== null && this.role.kind === 'leading') this.role.leader.onDurable(durable);
    this.preparer.committed(this.confirmed);
    this.history.trim(this.windowSize, this.confirmed);
    if (this.role.kind === 'leading') this.role.leader.onAdvance();
  }

  // ---- status --------------------------------------------------------------------------

  get currentRole(): MemberRole {
    return this.roleName;
  }
  get currentPhase(): ZabPhase {
    return this.phase;
  }
  get servingMode(): Serving {
    return this.serving;
  }
  get leaderId(): number | null {
    if (this.role.kind === 'leading') return this.sid;
    if (this.role.kind === 'learning') return this.role.learner.leader;
    return null;
  }
  /** The established leader's role object, if I am one (for 4lw figures). */
  get leading(): LeaderRole | null {
    return this.role.kind === 'leading' ? this.role.leader : null;
  }

  state(db: DatabaseFigures): MemberState {
    const leader = this.leading;
    return {
      sid: this.sid,
      role: this.roleName,
      phase: this.phase,
      learnerType: this.learnerType,
      acceptedEpoch: this.accepted,
      currentEpoch: this.current,
      lastLoggedZxid: this.history.last(),
      committedZxid: this.confirmed,
      leaderId: this.leaderId,
      round: this.round,
      vote: { ...this.vote },
      peersConnected: [...this.connected].sort((a, b) => a - b),
      learners: leader?.learnerIds() ?? [],
      syncedLearners: leader?.syncedLearnerIds() ?? [],
      outstandingProposals: leader?.outstandingCount() ?? 0,
      pendingSyncs: leader?.pendingSyncCount() ?? 0,
      serving: this.serving !== 'none',
      sessionCount: this.sessions.size,
      znodeCount: db.znodeCount,
      digest: db.digest,
      ...(this.bugs.size > 0 ? { bugs: [...this.bugs].sort() } : {}),
    };
  }
}

