/**
 * A follower's or observer's side of ZAB (zab.md §3.4 Learner.registerWithLeader /
 * syncWithLeader, §4 Follower/Observer, §7):
 *   discovery       — FOLLOWERINFO/OBSERVERINFO, LEADERINFO (persist acceptedEpoch), ACKEPOCH;
 *   synchronization — DIFF / TRUNC / SNAP, held PROPOSAL/COMMIT pairs, then at NEWLEADER one
 *                     durable step: truncate or install the snapshot, log the held txns,
 *                     persist currentEpoch — and only then the NEWLEADER ACK (ZOOKEEPER-3911,
 *                     4643, 4646, 4785, 3642);
 *   broadcast       — after UPTODATE (the leader's commit of its initial history, the paper's
 *                     COMMIT-LD) apply the synced history, then PROPOSAL → log → ACK,
 *                     COMMIT of the head only, INFORM for observers, PING replies with touches.
 * Nothing is applied before UPTODATE: if the leader fails first, what it sent was never
 * committed and a later TRUNC may remove it.
 */
import { makeZxid, zxidLabel } from '../../jute/zxid.js';
import type { TxnEntry } from '../../tree/txn.js';
import type { ClientRequest, SessionInfo } from '../contracts.js';
import { isNextZxid } from '../history.js';
import type { ZabBody, ZabPacket } from '../messages.js';
import type { LearnerType, SyncMode } from '../protocol-events.js';
import { opName } from '../../jute/opcodes.js';
import { LinkEnd } from './link.js';
import type { Member } from './member.js';

type Stage = 'registering' | 'epoch-acked' | 'syncing' | 'newleader-acked' | 'serving';

/** How often an unanswered FOLLOWERINFO is repeated (ZooKeeper retries its connect every 100 ms or so). */
const HELLO_RETRY_MS = 100;

interface PendingSync {
  mode: SyncMode;
  zxid: bigint;
  snapshot: { bytes: Buffer; sessions: SessionInfo[] } | null;
}

export class LearnerRole {
  stage: Stage = 'registering';
  private readonly link: LinkEnd;
  private epoch: number | null = null;
  private plan: PendingSync | null = null;
  /** Proposals received during sync, logged at NEWLEADER. */
  private held: TxnEntry[] = [];
  /** The zxid after which `held` continues. */
  private heldBase = 0n;
  /** Committed point declared by the leader during sync; becomes ours at UPTODATE. */
  private commitTarget = 0n;
  private lastHeard: number;
  /** FOLLOWERINFO/OBSERVERINFO, re-sent until LEADERINFO comes: the leader may not lead yet. */
  private readonly hello: ZabPacket;
  private nextHello: number;
  /** Sessions touched by local clients since the last PING (LearnerSessionTracker). */
  private readonly touches = new Map<bigint, number>();
  /**
   * Syncs and revalidations sent to the leader and not answered yet, oldest first. Kept only
   * with the staleReads bug switch, whose member answers them itself when the leader is lost.
   */
  readonly forwarded: { syncs: bigint[]; revalidations: bigint[] } = { syncs: [], revalidations: [] };
  private readonly trackForwarded: boolean;

  constructor(
    private readonly m: Member,
    readonly leader: number,
    readonly type: LearnerType,
  ) {
    this.link = new LinkEnd(m.newLinkId());
    this.trackForwarded = m.bugs.has('staleReads');
    this.lastHeard = m.now();
    m.setPhase('discovery');
    this.hello = this.link.packet({ type: 'learnerinfo', acceptedEpoch: m.acceptedEpoch(), learnerType: type });
    this.m.sendZab(this.leader, this.hello);
    this.nextHello = m.now() + Math.max(1, Math.ceil(HELLO_RETRY_MS / m.ticks.resolutionMs));
  }

  get linkId(): number {
    return this.link.id;
  }

  get serving(): boolean {
    return this.stage === 'serving';
  }

  private send(body: ZabBody, early = false): void {
    this.m.sendZab(this.leader, this.link.packet(body), early);
  }

  private fail(detail: string): void {
    this.m.leaderLost('protocol-error', detail);
  }

  onPacket(from: number, p: ZabPacket): void {
    if (from !== this.leader || p.link !== this.link.id) return;
    const arrival = this.link.accept(p, this.m.now());
    if (arrival === 'duplicate') return;
    // A gap is what a broken TCP connection looks like: not a protocol error.
    if (arrival === 'gap') return this.m.leaderLost('disconnected', `packet ${p.seq} missing its predecessors`);
    this.lastHeard = this.m.now();
    const b = p.body;
    switch (b.type) {
      case 'leaderinfo':
        return this.onLeaderInfo(b.epoch);
      case 'diff':
      case 'trunc':
        return this.onSyncStart(b.type === 'diff' ? 'DIFF' : 'TRUNC', b.zxid, null);
      case 'snap':
        return this.onSyncStart('SNAP', b.zxid, { bytes: b.bytes, sessions: b.sessions });
      case 'proposal':
        return this.onProposal(b.entry);
      case 'commit':
        return this.onCommit(b.zxid);
      case 'inform':
        return this.onInform(b.entry);
      case 'newleader':
        return this.onNewLeader(b.epoch);
      case 'uptodate':
        return this.onUptodate();
      case 'ping':
        return this.onPing();
      case 'synced':
        if (this.trackForwarded) removeFirst(this.forwarded.syncs, b.sessionId);
        this.m.out.apply.push({ kind: 'sync', sessionId: b.sessionId });
        return;
      case 'revalidated':
        if (this.trackForwarded) removeFirst(this.forwarded.revalidations, b.sessionId);
        this.m.out.apply.push({ kind: 'revalidated', sessionId: b.sessionId, valid: b.valid });
        return;
      case 'close':
        return this.m.leaderLost('disconnected', b.reason);
      default:
        return this.fail(`unexpected ${b.type}`);
    }
  }

  // ---- discovery -----------------------------------------------------------------------

  private onLeaderInfo(epoch: number): void {
    if (this.stage !== 'registering') return this.fail('LEADERINFO twice');
    const accepted = this.m.acceptedEpoch();
    if (epoch < accepted) return this.m.leaderLost('stale-leader', `leader epoch ${epoch} is older than my acceptedEpoch ${accepted}`);
    let reported = -1;
    if (epoch > accepted) {
      reported = this.m.currentEpoch();
      this.m.persistAcceptedEpoch(epoch);
    }
    this.epoch = epoch;
    this.stage = 'epoch-acked';
    this.m.out.event(() => ({ kind: 'epoch-accepted', epoch, leader: this.leader }));
    // An uninitialized member reports −1 (ZOOKEEPER-2325): not counted, and synced by SNAP.
    this.send({ type: 'ackepoch', currentEpoch: reported, lastZxid: this.m.uninitialized ? -1n : this.m.history.last() });
  }

  // ---- synchronization -----------------------------------------------------------------

  private onSyncStart(mode: SyncMode, zxid: bigint, snapshot: PendingSync['snapshot']): void {
    if (this.stage !== 'epoch-acked') return this.fail(`${mode} before ACKEPOCH`);
    const hist = this.m.history;
    if (mode === 'TRUNC' && (zxid < hist.committed || zxid > hist.last())) {
      return this.fail(`TRUNC to ${zxidLabel(zxid)} outside my uncommitted range ${zxidLabel(hist.committed)}..${zxidLabel(hist.last())}`);
    }
    // A SNAP may be older than what I applied (the leader snapshots its database, which can
    // lag its commits): it is committed state, and the entries after it bring me back.
    this.plan = { mode, zxid, snapshot };
    this.heldBase = mode === 'DIFF' ? hist.last() : zxid;
    // A DIFF's zxid is the leader's commit point; my log may reach past it into proposals
    // the leader still has outstanding (sync-plan.ts): those are not committed yet.
    this.commitTarget = mode === 'DIFF' && zxid < this.heldBase ? (zxid > hist.committed ? zxid : hist.committed) : this.heldBase;
    this.stage = 'syncing';
    this.m.setPhase('synchronization');
    this.m.out.event(() => ({ kind: 'sync-received', leader: this.leader, mode, zxid }));
  }

  private heldLast(): bigint {
    return this.held.length > 0 ? this.held[this.held.length - 1]!.zxid : this.heldBase;
  }

  /** Logs an entry after sync; false (and the link fails) if it leaves a hole (ZOOKEEPER-4925). */
  private log(entry: TxnEntry): boolean {
    const err = this.m.history.append(entry);
    if (err) {
      this.fail(`discontinuous proposal: ${err}`);
      return false;
    }
    this.m.out.append(entry);
    return true;
  }

  private onProposal(entry: TxnEntry): void {
    const zxid = entry.zxid;
    this.m.out.event(() => ({ kind: 'proposal-received', zxid, op: opName(entry.txn.op), from: this.leader }));
    if (this.stage === 'syncing') {
      if (!isNextZxid(this.heldLast(), zxid)) return this.fail(`held proposal ${zxidLabel(zxid)} after ${zxidLabel(this.heldLast())}`);
      this.held.push(entry);
      return;
    }
    if (this.stage !== 'newleader-acked' && this.stage !== 'serving') return this.fail('PROPOSAL before sync');
    if (this.type !== 'participant') return this.fail('observers get no PROPOSAL after sync');
    if (!this.log(entry)) return;
    // Sent after this batch's persist: the ACK follows durability (zab.md §8.10) — unless the
    // instructor bug switch ackBeforeFsync sends it at once, before the write is on disk.
    this.send({ type: 'ack', zxid }, this.m.bugs.has('ackBeforeFsync'));
    this.m.out.event(() => ({ kind: 'ack-sent', zxid, to: this.leader }));
  }

  /** The entry after `zxid`, wherever it is kept in the current stage: my log up to the sync base, then the held ones. */
  private nextAfter(zxid: bigint): TxnEntry | undefined {
    if (this.stage === 'syncing' && zxid >= this.heldBase) return this.held.find((e) => e.zxid > zxid);
    return this.m.history.nextAfter(zxid);
  }

  private onCommit(zxid: bigint): void {
    const committed = this.stage === 'serving' ? this.m.history.committed : this.commitTarget;
    const head = this.nextAfter(committed);
    // Follower.processPacket: a COMMIT must match the head of the pending proposals.
    if (!head || head.zxid !== zxid) return this.fail(`COMMIT ${zxidLabel(zxid)} but the next pending is ${head ? zxidLabel(head.zxid) : 'none'}`);
    if (this.stage === 'serving') {
      this.m.history.commitTo(zxid);
      this.m.pumpApply();
    } else if (this.stage === 'syncing' || this.stage === 'newleader-acked') {
      this.commitTarget = zxid;
    } else {
      this.fail('COMMIT before sync');
    }
  }

  private onInform(entry: TxnEntry): void {
    if (this.type !== 'observer') return this.fail('INFORM sent to a participant');
    if (this.stage === 'syncing') {
      if (!isNextZxid(this.heldLast(), entry.zxid)) return this.fail(`INFORM ${zxidLabel(entry.zxid)} leaves a hole`);
      this.held.push(entry);
      this.commitTarget = entry.zxid;
      return;
    }
    if (this.stage !== 'newleader-acked' && this.stage !== 'serving') return this.fail('INFORM before sync');
    if (!this.log(entry)) return;
    if (this.stage === 'serving') {
      this.m.history.commitTo(entry.zxid);
      this.m.pumpApply();
    } else {
      this.commitTarget = entry.zxid;
    }
  }

  private onNewLeader(epoch: number): void {
    if (this.stage !== 'syncing' || epoch !== this.epoch) return this.fail(`NEWLEADER ${epoch} out of place`);
    const plan = this.plan!;
    const hist = this.m.history;
    if (plan.mode === 'SNAP') {
      const { inMemory, onDisk } = this.installSnapshot(plan);
      for (let i = inMemory; i < this.held.length; i++) {
        const e = this.held[i]!;
        if (i >= onDisk) {
          if (!this.log(e)) return;
        } else if (hist.append(e)) {
          return this.fail(`snapshot tail ${zxidLabel(e.zxid)} does not fit`);
        }
      }
    } else {
      if (plan.mode === 'TRUNC') {
        const removed = hist.truncateAfter(plan.zxid);
        this.m.out.persist.push({ op: 'truncate', zxid: plan.zxid });
        this.m.out.event(() => ({ kind: 'truncated', zxid: plan.zxid, removed }));
      }
      for (const e of this.held) if (!this.log(e)) return;
    }
    if (this.commitTarget < hist.committed) this.commitTarget = hist.committed;
    this.m.persistCurrentEpoch(epoch);
    this.send({ type: 'ack', zxid: makeZxid(epoch, 0) });
    this.m.out.event(() => ({ kind: 'newleader-acked', epoch, leader: this.leader }));
    if (this.type === 'participant') {
      // Proposals still awaiting their quorum, now durable here: ACK them, after the
      // NEWLEADER ACK (ZOOKEEPER-4685).
      for (const e of hist.range(this.commitTarget)) this.send({ type: 'ack', zxid: e.zxid });
    }
    this.held = [];
    this.plan = null;
    this.stage = 'newleader-acked';
    this.m.refreshVoteEpoch(epoch);
  }

  /**
   * SNAP at NEWLEADER. Held entries I already hold as committed are skipped (same zxid =
   * same txn); my log entries above that the leader also sent stay on disk; only the
   * divergent rest is truncated — so no durable entry that may count toward a commit
   * quorum is ever dropped, even for a moment. When the snapshot is not newer than what I
   * committed (the leader's database can lag its commits, or a forced SNAP), I keep my
   * own state instead of installing an older one. Returns how many held entries are
   * already in my log.
   */
  private installSnapshot(plan: PendingSync): { inMemory: number; onDisk: number } {
    const hist = this.m.history;
    const useSnapshot = plan.zxid > hist.committed;
    const from = useSnapshot ? plan.zxid : hist.committed;
    let skip = 0;
    while (skip < this.held.length && this.held[skip]!.zxid <= from) skip++;
    const mine = hist.range(from);
    let same = 0;
    while (same < mine.length && skip + same < this.held.length && mine[same]!.zxid === this.held[skip + same]!.zxid) same++;
    if (same < mine.length) {
      const to = same > 0 ? mine[same - 1]!.zxid : from;
      this.m.out.persist.push({ op: 'truncate', zxid: to });
      hist.truncateAfter(to);
      const removed = mine.length - same;
      this.m.out.event(() => ({ kind: 'truncated', zxid: to, removed }));
    }
    if (!useSnapshot) return { inMemory: skip + same, onDisk: skip + same };
    this.m.installSnapshot(plan.zxid, plan.snapshot!.bytes, plan.snapshot!.sessions);
    return { inMemory: skip, onDisk: skip + same };
  }

  private onUptodate(): void {
    if (this.stage !== 'newleader-acked') return this.fail('UPTODATE before NEWLEADER');
    this.stage = 'serving';
    this.m.history.commitTo(this.commitTarget);
    this.m.pumpApply();
    this.m.setPhase('broadcast');
    this.m.setServing('rw');
    this.m.out.event(() => ({ kind: 'uptodate', leader: this.leader, epoch: this.epoch! }));
  }

  // ---- broadcast -----------------------------------------------------------------------

  private onPing(): void {
    const touches = [...this.touches].map(([sessionId, timeoutMs]) => ({ sessionId, timeoutMs }));
    this.touches.clear();
    this.m.sendZab(this.leader, this.link.liveness({ type: 'pong', touches }));
  }

  submit(request: ClientRequest): boolean {
    if (!this.serving) return false;
    this.send({ type: 'request', request });
    const { sessionId, cxid, op } = request;
    this.m.out.event(() => ({ kind: 'request-forwarded', sessionId, cxid, op: opName(op), leader: this.leader }));
    return true;
  }

  sync(sessionId: bigint): boolean {
    if (!this.serving) return false;
    this.send({ type: 'sync', sessionId });
    if (this.trackForwarded) this.forwarded.syncs.push(sessionId);
    return true;
  }

  revalidate(sessionId: bigint, timeoutMs: number): boolean {
    if (!this.serving) return false;
    this.send({ type: 'revalidate', sessionId, timeoutMs });
    if (this.trackForwarded) this.forwarded.revalidations.push(sessionId);
    return true;
  }

  touch(sessionId: bigint, timeoutMs: number): void {
    this.touches.set(sessionId, timeoutMs);
  }

  onTick(): void {
    // Like Learner.connectToLeader's retries: the winner of an election may reach LEADING a
    // moment after its followers, so the registration is repeated (same link, same
    // sequence number: the leader takes the first copy it sees while leading).
    if (this.stage === 'registering' && this.m.now() >= this.nextHello) {
      this.m.sendZab(this.leader, this.hello);
      this.nextHello = this.m.now() + Math.max(1, Math.ceil(HELLO_RETRY_MS / this.m.ticks.resolutionMs));
    }
    // Read timeout: initLimit until NEWLEADER is handled, then syncLimit (zab.md §3.5).
    const limit = this.stage === 'newleader-acked' || this.stage === 'serving' ? this.m.ticks.sync : this.m.ticks.init;
    if (this.m.now() - this.lastHeard > limit) this.m.leaderLost('timeout', `nothing from ${this.leader} for ${limit} ticks`);
    // Announced packets still missing after initLimit were lost on a link that stayed up (held ones take at most two flushes).
    else if (this.link.overdue(this.m.now(), this.m.ticks.init)) this.m.leaderLost('disconnected', 'packets the leader announced never arrived');
  }

  stop(reason: string): void {
    this.send({ type: 'close', reason });
  }
}

function removeFirst(list: bigint[], value: bigint): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}
