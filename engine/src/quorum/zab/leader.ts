/**
 * The leader's side of ZAB (zab.md §3.2 Leader.lead, §3.3 LearnerHandler, §4 broadcast),
 * one method per message and per phase:
 *   discovery       — collect FOLLOWERINFO until a quorum fixes e' (persist acceptedEpoch
 *                     before any LEADERINFO), then a quorum of ACKEPOCH (learners more
 *                     recent than me are refused), then persist currentEpoch = e';
 *   synchronization — per learner DIFF / TRUNC / SNAP + entries + NEWLEADER; a quorum of
 *                     NEWLEADER ACKs establishes me and commits my whole log;
 *   broadcast       — PROPOSAL → ACK quorum → COMMIT strictly in zxid order, PINGs, the
 *                     syncLimit quorum check, session expiry, sync and revalidation.
 */
import { OpCode, opName } from '../../jute/opcodes.js';
import { Err } from '../../jute/error-codes.js';
import { counterOf, epochOf, makeZxid } from '../../jute/zxid.js';
import type { TxnEntry } from '../../tree/txn.js';
import type { ClientRequest } from '../contracts.js';
import type { SessionTouch, ZabBody, ZabPacket } from '../messages.js';
import type { LearnerDropReason, LearnerType, SyncMode } from '../protocol-events.js';
import { LinkEnd } from './link.js';
import { errorEntry, type Member } from './member.js';
import { SessionTracker } from '../../sessions/session-tracker.js';
import { planSync } from './sync-plan.js';

type Stage = 'info' | 'epoch-sent' | 'epoch-acked' | 'newleader-sent' | 'synced' | 'uptodate';

/** One connected learner (a LearnerHandler). */
interface Handle {
  sid: number;
  type: LearnerType;
  link: LinkEnd;
  stage: Stage;
  acceptedEpoch: number;
  summary: { currentEpoch: number; lastZxid: bigint } | null;
  lastHeard: number;
  /** Receives new proposals/commits (participants) or informs (observers). */
  forwarding: boolean;
  /** Proposals sent and not yet ACKed, oldest first (SyncLimitCheck). */
  unacked: { zxid: bigint; at: number }[];
}

interface Proposal {
  entry: TxnEntry;
  acks: Set<number>;
}

const MAX_COUNTER = 0xffffffff;

/** Something to prepare into a txn: a request (local or forwarded) or a session expiry. */
type Work =
  | { kind: 'request'; request: ClientRequest; from: number }
  | { kind: 'expire'; sessionId: bigint }
  | { kind: 'reap'; path: string };

export class LeaderRole {
  phase: 'discovery' | 'synchronization' | 'broadcast' = 'discovery';
  /** e', fixed once a quorum of learners (and I) reported their acceptedEpoch. */
  epoch: number | null = null;
  /** Global session expiry (sessions/ SessionTracker on the core's tick clock), zab.md §5. */
  readonly tracker: SessionTracker;
  /** Which member holds each session's connection (null: not known since the election). */
  private readonly owners = new Map<bigint, number>();
  private readonly learners = new Map<number, Handle>();
  private readonly epochVoters = new Set<number>();
  private maxAcceptedEpoch: number;
  private readonly ackedEpoch = new Set<number>();
  private readonly newLeaderAcks = new Set<number>();
  /** Deadline of the current discovery/synchronization wait (initLimit each). */
  private deadline: number;
  private readonly outstanding = new Map<bigint, Proposal>();
  private lastProposed = 0n;
  /** zxid my initial history was committed up to; requests wait until it is applied. */
  private establishedAt: bigint | null = null;
  private readonly waiting: Work[] = [];
  private readonly parkedSyncs: { zxid: bigint; from: number; sessionId: bigint }[] = [];
  private nextPing = 0;
  private nextQuorumCheck = 0;

  constructor(private readonly m: Member) {
    const ms = m.ticks.resolutionMs;
    this.tracker = new SessionTracker({ tickTime: m.ticks.zkTick * ms, clock: () => m.now() * ms });
    this.maxAcceptedEpoch = m.acceptedEpoch();
    this.deadline = m.now() + m.ticks.init;
    this.epochVoters.add(m.sid);
    this.maybeFixEpoch();
  }

  get established(): boolean {
    return this.phase === 'broadcast';
  }

  learnerIds(): number[] {
    return [...this.learners.keys()].sort((a, b) => a - b);
  }

  syncedLearnerIds(): number[] {
    return [...this.learners.values()]
      .filter((h) => this.isSynced(h))
      .map((h) => h.sid)
      .sort((a, b) => a - b);
  }

  outstandingCount(): number {
    return this.outstanding.size;
  }

  pendingSyncCount(): number {
    return this.parkedSyncs.length;
  }

  // ---- packets -------------------------------------------------------------------------

  onPacket(from: number, p: ZabPacket): void {
    if (p.body.type === 'learnerinfo') return this.onLearnerInfo(from, p, p.body);
    const h = this.learners.get(from);
    if (!h || h.link.id !== p.link) return;
    const arrival = h.link.accept(p, this.m.now());
    if (arrival === 'duplicate') return;
    if (arrival === 'gap') return this.drop(h, 'disconnected'); // a broken connection, as TCP would report it
    h.lastHeard = this.m.now();
    const b = p.body;
    switch (b.type) {
      case 'ackepoch':
        return this.onAckEpoch(h, b.currentEpoch, b.lastZxid);
      case 'ack':
        return this.onAck(h, b.zxid);
      case 'pong':
        return this.onPong(b.touches);
      case 'request':
        if (h.stage === 'uptodate') this.submit(b.request, h.sid);
        return;
      case 'revalidate':
        return this.revalidate(b.sessionId, h.sid);
      case 'sync':
        return this.sync(b.sessionId, h.sid);
      case 'close':
        return this.drop(h, 'disconnected', false);
      default:
        return this.drop(h, 'protocol-error');
    }
  }

  /** The connection carrying a learner's link went away. */
  onLinkDown(from: number, link: number): void {
    const h = this.learners.get(from);
    if (h && h.link.id === link) this.drop(h, 'disconnected', false);
  }

  private send(h: Handle, body: ZabBody, early = false): void {
    this.m.sendZab(h.sid, h.link.packet(body), early);
  }



  // ---- discovery -----------------------------------------------------------------------

  private onLearnerInfo(from: number, p: ZabPacket, b: { acceptedEpoch: number }): void {
    const type = this.m.qv.learnerType(from);
    if (!type || from === this.m.sid || p.seq !== 0) return;
    const old = this.learners.get(from);
    if (old?.link.id === p.link) return; // a duplicate of the registration
    if (old) this.drop(old, 'disconnected');
    const h: Handle = {
      sid: from,
      type,
      link: new LinkEnd(p.link),
      stage: 'info',
      acceptedEpoch: b.acceptedEpoch,
      summary: null,
      lastHeard: this.m.now(),
      forwarding: false,
      unacked: [],
    };
    h.link.accept(p, this.m.now());
    this.learners.set(from, h);
    this.m.out.event(() => ({ kind: 'learner-connected', learner: from, learnerType: type, acceptedEpoch: b.acceptedEpoch }));
    if (this.epoch === null) {
      // zab.md §1.5: every early learner (observers included) may raise e'; only voters count.
      this.maxAcceptedEpoch = Math.max(this.maxAcceptedEpoch, b.acceptedEpoch);
      if (type === 'participant') this.epochVoters.add(from);
      this.maybeFixEpoch();
    } else if (b.acceptedEpoch > this.epoch) {
      // The learner promised a newer epoch (a leader that then failed): it can never accept
      // mine and would stay outside forever (ZooKeeper's learner refuses and re-elects, in
      // vain). Give up so that a new election picks an epoch above its promise.
      this.m.stepDown('learner-ahead', `learner ${from} accepted epoch ${b.acceptedEpoch} > ${this.epoch}`);
    } else {
      this.sendLeaderInfo(h);
    }
  }

  private maybeFixEpoch(): void {
    if (this.epoch !== null || !this.m.qv.isQuorum(this.epochVoters)) return;
    const epoch = this.maxAcceptedEpoch + 1;
    this.epoch = epoch;
    // ZOOKEEPER-1291: durable before any LEADERINFO leaves (same batch, persisted first).
    this.m.persistAcceptedEpoch(epoch);
    const voters = [...this.epochVoters].sort((a, b) => a - b);
    this.m.out.event(() => ({ kind: 'epoch-proposed', epoch, voters }));
    this.deadline = this.m.now() + this.m.ticks.init;
    this.ackedEpoch.add(this.m.sid);
    for (const h of this.learners.values()) if (h.stage === 'info') this.sendLeaderInfo(h);
    this.maybeFinishDiscovery();
  }

  private sendLeaderInfo(h: Handle): void {
    this.send(h, { type: 'leaderinfo', epoch: this.epoch! });
    h.stage = 'epoch-sent';
  }

  private onAckEpoch(h: Handle, currentEpoch: number, lastZxid: bigint): void {
    if (h.stage !== 'epoch-sent') return this.drop(h, 'protocol-error');
    h.stage = 'epoch-acked';
    h.summary = { currentEpoch, lastZxid };
    this.m.out.event(() => ({ kind: 'epoch-acked', learner: h.sid, currentEpoch, lastZxid }));
    if (this.phase !== 'discovery') return this.syncLearner(h);
    // Leader.waitForEpochAck: −1 means "already accepted this epoch": neither checked nor counted.
    if (currentEpoch === -1) return;
    // Nor does an uninitialized member (zxid −1, zab.md §1.4): its empty disk vouches for nothing.
    if (lastZxid < 0n) return;
    const mine = { currentEpoch: this.m.currentEpoch(), lastZxid: this.m.history.last() };
    if (currentEpoch > mine.currentEpoch || (currentEpoch === mine.currentEpoch && lastZxid > mine.lastZxid)) {
      return this.drop(h, 'ahead-of-leader');
    }
    if (h.type === 'participant') this.ackedEpoch.add(h.sid);
    this.maybeFinishDiscovery();
  }

  private maybeFinishDiscovery(): void {
    if (this.phase !== 'discovery' || this.epoch === null || !this.m.qv.isQuorum(this.ackedEpoch)) return;
    this.m.persistCurrentEpoch(this.epoch);
    this.phase = 'synchronization';
    this.m.setPhase('synchronization');
    this.deadline = this.m.now() + this.m.ticks.init;
    this.newLeaderAcks.add(this.m.sid);
    for (const h of this.learners.values()) if (h.stage === 'epoch-acked') this.syncLearner(h);
    this.maybeEstablish();
  }

  // ---- synchronization -----------------------------------------------------------------

  /** The point my history is committed to, as far as learners are concerned (§3.2 step 8). */
  private syncPoint(): bigint {
    return this.established ? this.m.history.committed : this.m.history.last();
  }

  private syncLearner(h: Handle): void {
    const hist = this.m.history;
    const point = this.syncPoint();
    const peerZxid = h.summary!.lastZxid;
    const plan = planSync(peerZxid, { base: hist.base, committed: point, has: (z) => hist.has(z), floorBelow: (z) => hist.floorBelow(z) }, this.m.forceSnapshotSync);
    let from: bigint;
    let packetZxid: bigint;
    if (plan.mode === 'DIFF') {
      from = plan.from;
      packetZxid = point;
      this.send(h, { type: 'diff', zxid: point });
    } else if (plan.mode === 'TRUNC') {
      from = plan.to;
      packetZxid = plan.to;
      this.send(h, { type: 'trunc', zxid: plan.to });
    } else {
      // The database stands at the last confirmed apply (contracts.ts SnapshotSource).
      from = this.m.appliedConfirmed();
      packetZxid = from;
      const snap = this.m.snapshots.snapshot();
      this.send(h, { type: 'snap', zxid: from, bytes: snap.bytes, sessions: snap.sessions });
    }
    const entries = hist.range(from, point);
    for (const entry of entries) {
      this.send(h, { type: 'proposal', entry });
      this.send(h, { type: 'commit', zxid: entry.zxid });
    }
    if (h.type === 'participant') {
      // Outstanding proposals the learner lacks (a DIFF from above my commit point already has some).
      for (const p of this.outstanding.values()) {
        if (p.entry.zxid <= from) continue;
        this.send(h, { type: 'proposal', entry: p.entry });
        h.unacked.push({ zxid: p.entry.zxid, at: this.m.now() });
      }
    }
    this.send(h, { type: 'newleader', epoch: this.epoch! });
    h.stage = 'newleader-sent';
    h.forwarding = true;
    const mode: SyncMode = plan.mode;
    const txnCount = entries.length;
    this.m.out.event(() => ({ kind: 'sync-chosen', learner: h.sid, mode, peerZxid, zxid: packetZxid, txnCount }));
  }

  private onAck(h: Handle, zxid: bigint): void {
    if (counterOf(zxid) === 0) {
      if (epochOf(zxid) !== this.epoch || h.stage !== 'newleader-sent') return;
      h.stage = 'synced';
      this.m.out.event(() => ({ kind: 'learner-synced', learner: h.sid }));
      if (!this.established) {
        if (h.type === 'participant') this.newLeaderAcks.add(h.sid);
        this.maybeEstablish();
      } else {
        this.sendUptodate(h);
      }
      return;
    }
    if (h.type !== 'participant' || !h.forwarding) return;
    while (h.unacked.length > 0 && h.unacked[0]!.zxid <= zxid) h.unacked.shift();
    const p = this.outstanding.get(zxid);
    if (!p) return;
    p.acks.add(h.sid);
    this.m.out.event(() => ({ kind: 'ack-received', zxid, from: h.sid }));
    this.tryCommit();
  }

  private maybeEstablish(): void {
    if (this.phase !== 'synchronization' || !this.m.qv.isQuorum(this.newLeaderAcks)) return;
    const epoch = this.epoch!;
    this.phase = 'broadcast';
    this.m.setPhase('broadcast');
    // My whole log, proposals I had only logged included, is now the committed history of e'.
    const at = this.m.history.last();
    this.establishedAt = at;
    this.lastProposed = at;
    this.m.history.commitTo(at);
    this.m.pumpApply();
    // After an election every session gets a full fresh timeout (zab.md §5).
    const now = this.m.now();
    this.tracker.recreate(this.m.liveSessions().map((s) => ({ id: s.id, timeout: s.timeoutMs })));
    for (const h of this.learners.values()) if (h.stage === 'synced') this.sendUptodate(h);
    this.m.refreshVoteEpoch(epoch);
    this.m.setServing('rw');
    const voters = [...this.newLeaderAcks].sort((a, b) => a - b);
    this.m.out.event(() => ({ kind: 'leader-established', epoch, voters }));
    this.nextPing = now;
    this.nextQuorumCheck = now + this.m.ticks.zkTick;
    this.onAdvance();
  }

  private sendUptodate(h: Handle): void {
    this.send(h, { type: 'uptodate' });
    h.stage = 'uptodate';
  }

  private isSynced(h: Handle): boolean {
    return (h.stage === 'synced' || h.stage === 'uptodate') && this.m.now() - h.lastHeard <= this.m.ticks.sync;
  }

  // ---- broadcast -----------------------------------------------------------------------

  /** Orders a write from a local client (`from` = my sid) or a learner; false if not serving. */
  submit(request: ClientRequest, from: number): boolean {
    if (!this.established) return false;
    this.enqueue({ kind: 'request', request, from });
    return true;
  }

  /** A server-internal delete from the container/TTL reaper; false if not established. */
  reap(path: string): boolean {
    if (!this.established) return false;
    this.enqueue({ kind: 'reap', path });
    return true;
  }

  /**
   * Expires a live session now, as its timeout would (the lab's "expire session"; zab.md §5:
   * only the leader expires global sessions). False when it is unknown or already closing.
   */
  expireSession(sessionId: bigint): boolean {
    if (!this.established || !this.tracker.isAlive(sessionId)) return false;
    this.tracker.setClosing(sessionId);
    this.m.out.event(() => ({ kind: 'session-expired', sessionId }));
    this.enqueue({ kind: 'expire', sessionId });
    return true;
  }

  /** Time left before each live session expires, on the tracker's own clock (the lab's inspector). */
  sessionTimeLeft(): { sessionId: bigint; expiresInMs: number }[] {
    const now = this.m.now() * this.m.ticks.resolutionMs;
    return this.tracker.bucketSnapshot().flatMap((b) => b.sessions.map((sessionId) => ({ sessionId, expiresInMs: b.expiresAt - now })));
  }

  private enqueue(work: Work): void {
    if (this.waiting.length > 0 || this.m.appliedConfirmed() < this.establishedAt!) {
      // Prep reads the database: wait until my inherited history is applied.
      this.waiting.push(work);
      return;
    }
    this.process(work);
  }

  /** Called after every `advance()`: releases requests that waited for the database. */
  onAdvance(): void {
    if (!this.established || this.m.appliedConfirmed() < this.establishedAt!) return;
    while (this.waiting.length > 0 && this.established) {
      this.process(this.waiting.shift()!);
    }
  }

  private nextZxid(): bigint | null {
    const counter = epochOf(this.lastProposed) === this.epoch ? counterOf(this.lastProposed) : 0;
    if (counter >= MAX_COUNTER) return null;
    return makeZxid(this.epoch!, counter + 1);
  }

  private process(work: Work): void {
    const zxid = this.nextZxid();
    if (zxid === null) return this.m.stepDown('zxid-rollover', 'counter reached 0xffffffff');
    const time = this.m.wallMs();
    const entry =
      work.kind === 'expire'
        ? this.m.preparer.closeSession(work.sessionId, zxid, time)
        : work.kind === 'reap'
          ? this.m.preparer.reap(work.path, zxid, time)
          : this.prepare(work.request, work.from, zxid, time);
    if (entry.zxid !== zxid) throw new Error(`prep returned zxid ${entry.zxid} for ${zxid}`);
    const txn = entry.txn;
    if (txn.op === OpCode.createSession) {
      this.tracker.addSession(entry.sessionId, txn.timeout);
      if (work.kind === 'request') this.owners.set(entry.sessionId, work.from);
    } else if (txn.op === OpCode.closeSession) {
      this.tracker.setClosing(entry.sessionId);
    }
    this.propose(entry, work.kind === 'request' ? work.request.op : entry.txn.op);
  }

  private prepare(request: ClientRequest, from: number, zxid: bigint, time: number): TxnEntry {
    const err = this.sessionCheck(request, from);
    return err !== null ? errorEntry(request, zxid, time, err) : this.m.preparer.prepare(request, zxid, time);
  }

  /**
   * The leader tracker's checkSession (zab.md §5, SessionTrackerImpl): unknown →
   * UnknownSession, closing → SessionExpired, owned by another member → SessionMoved (a
   * stale connection on the old member cannot write). A live session is touched.
   */
  private sessionCheck(request: ClientRequest, from: number): number | null {
    const id = request.sessionId;
    if (id === 0n || request.op === OpCode.createSession || request.op === OpCode.closeSession) return null;
    const err = this.tracker.checkSession(id);
    if (err !== 0) return err;
    const owner = this.owners.get(id);
    if (owner === undefined) this.owners.set(id, from);
    else if (owner !== from) return Err.SessionMoved;
    this.tracker.touchSession(id);
    return null;
  }

  private propose(entry: TxnEntry, op: number): void {
    const err = this.m.history.append(entry);
    if (err) throw new Error(`leader log broken: ${err}`);
    this.m.out.append(entry);
    const zxid = entry.zxid;
    // My own ACK counts once my log write is durable (onDurable), as ZooKeeper's
    // AckRequestProcessor does after the leader's fsync — or at once with the instructor bug
    // switch ackBeforeFsync.
    const early = this.m.bugs.has('ackBeforeFsync');
    this.outstanding.set(zxid, { entry, acks: new Set(early ? [this.m.sid] : []) });
    if (early) this.m.out.event(() => ({ kind: 'ack-received', zxid, from: this.m.sid }));
    this.lastProposed = zxid;
    const to: number[] = [];
    const now = this.m.now();
    for (const h of this.learners.values()) {
      if (!h.forwarding || h.type !== 'participant') continue;
      // Like ZooKeeper, the leader sends a proposal before its own log write completes.
      this.send(h, { type: 'proposal', entry }, true);
      h.unacked.push({ zxid, at: now });
      to.push(h.sid);
    }
    this.m.out.event(() => ({ kind: 'proposal-sent', zxid, op: opName(op), sessionId: entry.sessionId, to: to.sort((a, b) => a - b) }));
    if (early) this.tryCommit();
  }

  /** My log is durable up to `zxid`: my own ACK for those proposals now counts. */
  onDurable(zxid: bigint): void {
    const self = this.m.sid;
    for (const [z, p] of this.outstanding) {
      if (z > zxid) break;
      if (p.acks.has(self)) continue;
      p.acks.add(self);
      this.m.out.event(() => ({ kind: 'ack-received', zxid: z, from: self }));
    }
    this.tryCommit();
  }

  /** Commits in zxid order: a later proposal with a quorum waits for earlier ones (§4.3). */
  private tryCommit(): void {
    for (const [zxid, p] of this.outstanding) {
      if (!this.m.qv.isQuorum(p.acks)) return;
      this.outstanding.delete(zxid);
      this.m.history.commitTo(zxid);
      // Committed means durable on a quorum: nothing left to wait for.
      for (const h of this.learners.values()) {
        if (!h.forwarding) continue;
        if (h.type === 'participant') this.send(h, { type: 'commit', zxid }, true);
        else this.send(h, { type: 'inform', entry: p.entry }, true);
      }
      if (p.entry.txn.op === OpCode.closeSession) {
        this.tracker.removeSession(p.entry.sessionId);
        this.owners.delete(p.entry.sessionId);
      }
      this.m.pumpApply();
      this.releaseSyncs(zxid);
    }
  }

  sync(sessionId: bigint, from: number): void {
    if (this.outstanding.size === 0) return this.answerSync(sessionId, from);
    const zxid = this.lastProposed;
    this.parkedSyncs.push({ zxid, from, sessionId });
    this.m.out.event(() => ({ kind: 'sync-parked', sessionId, zxid }));
  }

  /** Sessions of my own clients whose sync is parked (the staleReads bug switch answers them when I step down). */
  localParkedSyncs(): bigint[] {
    return this.parkedSyncs.filter((s) => s.from === this.m.sid).map((s) => s.sessionId);
  }

  private releaseSyncs(committed: bigint): void {
    while (this.parkedSyncs.length > 0 && this.parkedSyncs[0]!.zxid <= committed) {
      const s = this.parkedSyncs.shift()!;
      this.m.out.event(() => ({ kind: 'sync-released', sessionId: s.sessionId, zxid: s.zxid }));
      this.answerSync(s.sessionId, s.from);
    }
  }

  private answerSync(sessionId: bigint, from: number): void {
    if (from === this.m.sid) {
      this.m.out.apply.push({ kind: 'sync', sessionId });
      return;
    }
    const h = this.learners.get(from);
    if (h) this.send(h, { type: 'synced', sessionId });
  }

  revalidate(sessionId: bigint, from: number): void {
    const valid = this.tracker.touchSession(sessionId);
    if (valid) this.owners.set(sessionId, from);
    this.m.out.event(() => ({ kind: 'session-revalidated', sessionId, owner: from, valid }));
    if (from === this.m.sid) {
      this.m.out.apply.push({ kind: 'revalidated', sessionId, valid });
      return;
    }
    const h = this.learners.get(from);
    if (h) this.send(h, { type: 'revalidated', sessionId, valid });
  }

  touch(sessionId: bigint): void {
    this.tracker.touchSession(sessionId);
  }

  private onPong(touches: SessionTouch[]): void {
    for (const t of touches) this.tracker.touchSession(t.sessionId);
  }

  // ---- time ----------------------------------------------------------------------------

  onTick(): void {
    const now = this.m.now();
    if (!this.established && now >= this.deadline) {
      const reason = this.epoch === null ? 'epoch-timeout' : this.phase === 'discovery' ? 'ackepoch-timeout' : 'newleader-timeout';
      return this.m.stepDown(reason, `waited ${this.m.ticks.init} ticks`);
    }
    for (const h of [...this.learners.values()]) {
      const synced = h.stage === 'synced' || h.stage === 'uptodate';
      if (now - h.lastHeard > (synced ? this.m.ticks.sync : this.m.ticks.init)) this.drop(h, 'timeout');
      // Announced packets still missing after initLimit: lost on a link that stayed up (held ones take at most two flushes).
      else if (h.link.overdue(now, this.m.ticks.init)) this.drop(h, 'disconnected');
      else if (h.unacked.length > 0 && now - h.unacked[0]!.at > this.m.ticks.sync) this.drop(h, 'ack-overdue');
    }
    if (!this.established) return;
    if (now >= this.nextPing) {
      this.nextPing = now + this.m.ticks.ping;
      for (const h of this.learners.values()) {
        if (h.forwarding) this.m.sendZab(h.sid, h.link.liveness({ type: 'ping', zxid: this.lastProposed }));
      }
    }
    if (now >= this.nextQuorumCheck) {
      this.nextQuorumCheck = now + this.m.ticks.zkTick;
      const synced = [this.m.sid, ...this.syncedLearnerIds().filter((s) => this.m.qv.isVoter(s))];
      if (!this.m.qv.isQuorum(synced)) {
        return this.m.stepDown('lost-quorum', `synced voters [${synced.sort((a, b) => a - b).join(',')}] of ${this.m.qv.voters.length}`);
      }
      for (const { id } of this.tracker.expire()) {
        this.m.out.event(() => ({ kind: 'session-expired', sessionId: id }));
        this.enqueue({ kind: 'expire', sessionId: id });
      }
    }
  }

  private drop(h: Handle, reason: LearnerDropReason, tell = true): void {
    if (this.learners.get(h.sid) !== h) return;
    this.learners.delete(h.sid);
    if (tell) this.send(h, { type: 'close', reason });
    this.m.out.event(() => ({ kind: 'learner-disconnected', learner: h.sid, reason }));
  }

  /** Leadership ends: close every link and forget in-flight prep state. */
  stop(reason: string): void {
    for (const h of this.learners.values()) this.send(h, { type: 'close', reason });
    this.learners.clear();
    this.waiting.length = 0;
    this.parkedSyncs.length = 0;
    this.m.preparer.reset();
  }
}

