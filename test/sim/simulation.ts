/**
 * The deterministic simulator (TigerBeetle's VOPR, style.md A3/B8): N members' real cores
 * over a seeded network and disk, clients recording histories, faults drawn from the
 * seed ("swarm" options), a safety phase with faults and a liveness phase where the
 * network heals and every member restarts: then a leader must serve, every member must
 * converge to one digest, and writes must succeed. Everything follows from the seed, so
 * `SEED=<n>` replays a run exactly.
 */
import { OpCode } from '../../engine/src/jute/opcodes.js';
import { zxidLabel } from '../../engine/src/jute/zxid.js';
import type { Outgoing } from '../../engine/src/quorum/messages.js';
import { SeededPrng } from '../../engine/src/quorum/prng.js';
import type { MemberSpec } from '../../engine/src/quorum/quorum-verifier.js';
import type { QuorumTimingConfig } from '../../engine/src/quorum/timings.js';
import { encodeTxnEntry, type TxnEntry } from '../../engine/src/tree/txn.js';
import type { BugSwitchName } from '../../engine/src/lab/api.js';
import { Ghost } from './ghost.js';
import { ABSENT, type HistoryOp, type KeyState } from './history.js';
import { type CommittedWrite, checkLinearizable, checkSequentialReads } from './linearizability.js';
import { type NetworkOptions, SimNetwork } from './network.js';
import { type ClientOptions, SimClient } from './sim-client.js';
import { type MemberObserver, SimMember } from './sim-member.js';

export interface SimConfig {
  seed: number;
  voters: number;
  observers: number;
  safetyTicks: number;
  livenessTicks: number;
  net: NetworkOptions;
  /** Per-tick probability of crashing a member during the safety phase. */
  crashP: number;
  /** A crash keeps a random prefix of the pending disk writes. */
  partialFlush: boolean;
  restartAfterMax: number;
  /** A batch takes diskLatencyMin..diskLatencyMax ticks to become durable. */
  diskLatencyMin?: number;
  partitionP: number;
  healP: number;
  clogP: number;
  diskLatencyMax: number;
  snapshotP: number;
  windowSize: number;
  forceSnapshotSync: boolean;
  /** readonlymode.enabled on every member. */
  readOnly: boolean;
  clients: number;
  client: ClientOptions;
  timing: QuorumTimingConfig;
  /**
   * Instructor bug switches on every member (docs/teaching.md). Always empty in the seeded
   * runs: only test/sim/bug-switches.test.ts turns them on, to show what each one breaks.
   */
  bugs: BugSwitchName[];
}

/** Draws a run's options from its seed (swarm testing: each seed stresses different things). */
export function swarm(seed: number, scale = 1): SimConfig {
  const p = new SeededPrng(seed ^ 0x5eed);
  const voters = p.pick([3, 3, 3, 5, 5, 7, 1, 4]);
  const faulty = p.chance(0.85);
  return {
    seed,
    voters,
    observers: p.chance(0.3) ? p.between(1, 2) : 0,
    safetyTicks: Math.round(p.between(150, 400) * scale),
    livenessTicks: Math.round(500 * Math.max(1, scale / 2)),
    net: {
      lossP: faulty && p.chance(0.5) ? p.float() * 0.1 : 0,
      duplicateP: faulty && p.chance(0.3) ? p.float() * 0.1 : 0,
      delayMin: 0,
      delayMax: p.pick([1, 1, 2, 3, 6]),
      fifo: p.chance(0.9),
    },
    crashP: faulty && p.chance(0.6) ? p.float() * 0.03 : 0,
    partialFlush: p.chance(0.5),
    restartAfterMax: p.between(1, 80),
    partitionP: faulty && p.chance(0.5) ? p.float() * 0.02 : 0,
    healP: 0.05,
    clogP: faulty && p.chance(0.3) ? p.float() * 0.02 : 0,
    diskLatencyMax: p.pick([0, 0, 1, 2, 4]),
    snapshotP: p.pick([0, 0.02, 0.1]),
    windowSize: p.pick([500, 20, 5, 1]),
    forceSnapshotSync: p.chance(0.1),
    readOnly: p.chance(0.2),
    clients: p.between(1, 4),
    client: {
      keys: p.between(1, 3),
      syncP: p.pick([0, 0.3]),
      sessionTimeoutMs: p.pick([1000, 2000, 4000]),
      opP: p.pick([0.1, 0.3, 0.6]),
      readP: 0.5,
      ephemeralP: 0.05,
      opTimeout: 60,
      pingEvery: 5,
    },
    timing: {
      resolutionMs: 50,
      tickTime: 250,
      initLimit: 10,
      syncLimit: 5,
      finalizeWaitMs: 200,
      minNotificationIntervalMs: 200,
      maxNotificationIntervalMs: 2000,
      readOnlyGraceMs: 2000,
    },
    bugs: [],
  };
}

export interface SimReport {
  seed: number;
  failures: string[];
  ticks: number;
  committed: number;
  ops: number;
  elections: number;
}

export class Simulation implements MemberObserver {
  readonly prng: SeededPrng;
  readonly ghost = new Ghost();
  readonly network: SimNetwork;
  readonly members: SimMember[] = [];
  readonly clients: SimClient[] = [];
  readonly history: HistoryOp[] = [];
  /** Every sync a leader chose, in order (scripted tests read it). */
  readonly syncModes: { leader: number; learner: number; mode: string }[] = [];
  now = 0;
  private logical = 0;
  private sessionCounter = 0;
  private readonly restartAt = new Map<number, number>();
  private elections = 0;

  constructor(readonly cfg: SimConfig) {
    this.prng = new SeededPrng(cfg.seed);
    this.network = new SimNetwork({ ...cfg.net }, this.prng.fork());
    const specs: MemberSpec[] = [];
    for (let i = 1; i <= cfg.voters; i++) specs.push({ sid: i, type: 'participant' });
    for (let i = 1; i <= cfg.observers; i++) specs.push({ sid: cfg.voters + i, type: 'observer' });
    for (const s of specs) {
      const m = new SimMember(
        s.sid,
        {
          peer: {
            sid: s.sid,
            members: specs,
            timing: cfg.timing,
            windowSize: cfg.windowSize,
            forceSnapshotSync: cfg.forceSnapshotSync,
            readOnlyEnabled: cfg.readOnly,
            recordEvents: true,
            bugs: cfg.bugs,
          },
          diskLatencyMin: cfg.diskLatencyMin ?? 0,
          diskLatencyMax: cfg.diskLatencyMax,
          snapshotP: cfg.snapshotP,
        },
        this.prng.fork(),
        this,
      );
      this.members.push(m);
    }
    const sim = this;
    const world = {
      get now() {
        return sim.now;
      },
      clock: () => ++this.logical,
      members: () => this.members,
      record: (op: HistoryOp) => void this.history.push(op),
      newSessionId: (sid: number) => (BigInt(sid) << 56n) | BigInt(++this.sessionCounter),
    };
    // With staleReads the members' handshake accepts clients from their future (handshake.ts); so do the simulated clients.
    const client: ClientOptions = { ...cfg.client, acceptStaleMembers: cfg.bugs.includes('staleReads') };
    for (let i = 0; i < cfg.clients; i++) this.clients.push(new SimClient(i, client, this.prng.fork(), world));
  }

  member(sid: number): SimMember {
    return this.members.find((m) => m.sid === sid)!;
  }

  /** Replaces a stopped member's disk with an empty one (the lab's member.wipe). */
  wipe(sid: number): void {
    this.member(sid).wipe();
    this.ghost.diskReplaced(sid);
  }

  // ---- the run ---------------------------------------------------------------------------

  async run(): Promise<SimReport> {
    for (const m of this.members) m.start();
    for (let t = 0; t < this.cfg.safetyTicks; t++) await this.step(true);
    this.heal();
    const liveFrom = this.ghost.committed.length;
    const quiesceAt = this.cfg.livenessTicks - 150;
    for (let t = 0; t < this.cfg.livenessTicks; t++) {
      if (t === quiesceAt) for (const c of this.clients) c.tick = () => undefined; // stop new ops; let everything settle
      await this.step(false);
    }
    this.checkEnd(liveFrom);
    return {
      seed: this.cfg.seed,
      failures: this.ghost.failures,
      ticks: this.now,
      committed: this.ghost.committed.length,
      ops: this.history.length,
      elections: this.elections,
    };
  }

  /** One tick: faults, deliveries, member ticks, clients, then every member's batches. */
  async step(faults: boolean): Promise<void> {
    this.now++;
    this.ghost.now = this.now;
    if (faults) this.injectFaults();
    for (const [sid, at] of [...this.restartAt]) {
      if (at <= this.now) {
        this.restartAt.delete(sid);
        this.member(sid).start();
      }
    }
    for (const p of this.network.due(this.now)) {
      const m = this.member(p.to);
      if (m.up) m.core!.step(p.from, p.msg);
    }
    for (const m of this.members) if (m.up) m.core!.tick(this.now * this.cfg.timing.resolutionMs);
    for (const c of this.clients) c.tick();
    const send = (from: number, out: Outgoing): void => this.network.send(from, out.to, out.msg, this.now);
    for (const m of this.members) {
      while (m.pump(this.now, send)) await m.settle(send);
    }
  }

  private injectFaults(): void {
    const p = this.prng;
    if (p.chance(this.cfg.crashP)) {
      const up = this.members.filter((m) => m.up);
      if (up.length > 0) {
        const victim = p.pick(up);
        victim.crash(this.cfg.partialFlush ? p.int(victim.pendingWrites + 1) : 0);
        this.network.dropFor(victim.sid);
        this.restartAt.set(victim.sid, this.now + 1 + p.int(this.cfg.restartAfterMax));
      }
    }
    if (p.chance(this.cfg.partitionP)) {
      const sids = this.members.map((m) => m.sid);
      const shuffled = [...sids].sort(() => p.float() - 0.5);
      const cut = 1 + p.int(sids.length - 1);
      this.network.partition([shuffled.slice(0, cut), shuffled.slice(cut)], p.chance(0.3));
    } else if (p.chance(this.cfg.healP * (this.cfg.partitionP > 0 ? 1 : 0))) {
      this.network.heal();
    }
    if (p.chance(this.cfg.clogP)) {
      const a = p.pick(this.members).sid;
      const b = p.pick(this.members).sid;
      if (a !== b) this.network.clog(a, b, this.now + p.between(5, 60));
    }
  }

  private heal(): void {
    this.network.heal();
    this.network.calm();
    for (const [sid] of this.restartAt) this.member(sid).start();
    this.restartAt.clear();
  }

  // ---- end-of-run checks -------------------------------------------------------------------

  private checkEnd(liveFrom: number): void {
    const g = this.ghost;
    const leaders = this.members.filter((m) => m.core?.currentRole === 'leading' && m.core.currentPhase === 'broadcast');
    if (leaders.length !== 1) g.fail(`liveness: ${leaders.length} established leaders after healing`);
    for (const m of this.members) {
      if (!m.up) g.fail(`member ${m.sid} is down after healing`);
      else if (m.serving !== 'rw') g.fail(`liveness: member ${m.sid} is ${m.core!.currentRole}/${m.core!.currentPhase}, not serving`);
    }
    const end = g.committed.at(-1)?.zxid ?? 0n;
    for (const m of this.members) {
      if (m.up && m.db.lastZxid !== end) g.fail(`liveness: member ${m.sid} applied up to ${zxidLabel(m.db.lastZxid)}, committed end is ${zxidLabel(end)}`);
    }
    if (this.cfg.clients > 0 && g.committed.length === liveFrom) g.fail('liveness: no write committed after healing');
    this.checkEphemerals();
    const writes = this.history.filter((o) => o.op.kind !== 'read');
    const lin = checkLinearizable(writes);
    if (lin) g.fail(`writes not linearizable: ${lin}`);
    const sc = checkSequentialReads(this.history, committedWrites(g.committed));
    if (sc) g.fail(`reads not sequentially consistent: ${sc}`);
  }

  /**
   * A txn is delivered only once committed, and committed means durable on a quorum of
   * voters (in the log, or below a stored snapshot): check it at its first delivery.
   */
  private checkDurableQuorum(sid: number, entry: TxnEntry): void {
    const zxid = entry.zxid;
    const bytes = encodeTxnEntry(entry);
    const holders: number[] = [];
    for (const m of this.members) {
      if (m.sid > this.cfg.voters) continue;
      // The same txn (a split brain can log another one under this zxid elsewhere).
      const inLog = m.store.log.read(zxid - 1n, zxid).some((e) => e.zxid === zxid && encodeTxnEntry(e).equals(bytes));
      const inSnapshot = m.store.snapshots.list().some((s) => s.zxid >= zxid);
      if (inLog || inSnapshot) holders.push(m.sid);
    }
    if (holders.length < Math.floor(this.cfg.voters / 2) + 1) {
      this.ghost.fail(`member ${sid} delivered ${zxidLabel(zxid)}, durable only on [${holders.join(',')}] of ${this.cfg.voters} voters`);
    }
  }

  /** Ephemerals of a closed session are gone on every member (zab.md §5). */
  private checkEphemerals(): void {
    for (const m of this.members) {
      if (!m.up) continue;
      const root = m.db.tree.getChildren('/');
      for (const name of root?.children ?? []) {
        const owner = m.db.tree.stat(`/${name}`)?.ephemeralOwner ?? 0n;
        if (owner !== 0n && !m.db.session(owner)) this.ghost.fail(`member ${m.sid}: /${name} outlived its session ${owner}`);
      }
    }
  }

  // ---- MemberObserver ----------------------------------------------------------------------

  batch(m: SimMember, r: import('../../engine/src/quorum/ready.js').Ready): void {
    const g = this.ghost;
    for (const op of r.persist) if (op.op === 'truncate') g.truncating(m.sid, op.zxid, m.store.log.read(op.zxid));
    for (const e of r.events) {
      if (e.kind === 'election-decided') this.elections++;
      if (e.kind === 'sync-chosen') this.syncModes.push({ leader: m.sid, learner: e.learner, mode: e.mode });
      if (e.kind === 'role-changed' && e.role === 'leading' && (e.phase === 'synchronization' || e.phase === 'broadcast')) {
        g.leading(m.sid, m.core!.currentEpoch());
      }
      if (e.kind === 'leader-established') g.established(m.sid, e.epoch, m.core!.history);
      if (e.kind === 'leader-lost' && e.reason === 'protocol-error') g.fail(`member ${m.sid} left its leader ${e.leader}: ${e.detail}`);
      if (e.kind === 'learner-disconnected' && e.reason === 'protocol-error') g.fail(`leader ${m.sid} dropped learner ${e.learner} for a protocol error`);
    }
  }

  durable(m: SimMember, r: import('../../engine/src/quorum/ready.js').Ready): void {
    // A logged txn counts as proposed once durable: a batch lost in a crash was never seen.
    for (const op of r.persist) if (op.op === 'append') for (const e of op.entries) this.ghost.seen(m.sid, e, 'logged');
    this.ghost.epochsDurable(m.sid, m.store.stable.acceptedEpoch(), m.store.stable.currentEpoch());
  }

  sent(m: SimMember, out: Outgoing): void {
    const msg = out.msg;
    if (msg.type !== 'zab') return;
    const b = msg.body;
    if (b.type === 'proposal' || b.type === 'inform') this.ghost.seen(m.sid, b.entry, 'proposed');
    if (b.type === 'ack') {
      const has = m.store.log.read(b.zxid - 1n, b.zxid).some((e) => e.zxid === b.zxid);
      this.ghost.acking(m.sid, b.zxid, has, m.store.stable.currentEpoch());
    }
  }

  applied(m: SimMember, entry: TxnEntry, result: import('../../engine/src/tree/types.js').ApplyResult): void {
    if (!this.ghost.isCommitted(entry.zxid)) this.checkDurableQuorum(m.sid, entry);
    this.ghost.delivered(m.sid, entry, m.db.digestHex());
    for (const c of this.clients) {
      if (c.sessionId === entry.sessionId) c.onApplied(m, entry.zxid, entry.cxid, result.result);
    }
  }

  restored(m: SimMember, zxid: bigint): void {
    this.ghost.restored(m.sid, zxid, m.db.digestHex());
    // After a restart, whatever a partial flush left in the log counts as logged too.
    for (const e of m.core?.history.range(zxid) ?? []) this.ghost.seen(m.sid, e, 'recovered');
  }

  item(m: SimMember, item: import('../../engine/src/quorum/ready.js').ApplyItem): void {
    if (item.kind === 'revalidated') for (const c of this.clients) c.onRevalidated(m, item.sessionId, item.valid);
    if (item.kind === 'sync') for (const c of this.clients) c.onSynced(m, item.sessionId);
  }

  servingChanged(): void {}

  storageError(m: SimMember, error: Error): void {
    this.ghost.fail(`member ${m.sid}: storage refused a write: ${error.message}`);
  }
}

/** The committed sequence as the read checker needs it: each txn's key and that key's state after. */
export function committedWrites(committed: readonly TxnEntry[]): CommittedWrite[] {
  const state = new Map<string, KeyState>();
  return committed.map((e) => {
    const t = e.txn;
    let key: string | null = null;
    let after: KeyState | null = null;
    if (t.op === OpCode.create && t.path.startsWith('/k')) {
      key = t.path;
      after = { exists: true, value: t.data?.toString() ?? '', version: 0 };
    } else if (t.op === OpCode.setData && t.path.startsWith('/k')) {
      key = t.path;
      after = { exists: true, value: t.data?.toString() ?? '', version: t.version };
    } else if (t.op === OpCode.delete && t.path.startsWith('/k')) {
      key = t.path;
      after = ABSENT;
    }
    if (key !== null && after !== null) state.set(key, after);
    return { zxid: e.zxid, key, after };
  });
}
