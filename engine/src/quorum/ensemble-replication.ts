/**
 * The ensemble's implementation of the server's replication seam (server/replication.ts):
 * leader, follower and observer are one QuorumPeer whose role changes, run by the
 * QuorumDriver. Writes, createSession and closeSession go to the core (the leader
 * prepares them; learners forward them as REQUEST); committed txns come back as apply
 * items, are applied to the database here and reported to the host, which answers the
 * client that asked and fires watches. `sync` and `revalidate` wait for their apply items.
 *
 * Read-only mode (zab.md §6): while the core says `ro`, the host serves read-only clients
 * and refuses writes itself; a new read-only session is local (no txn, never replicated).
 */
import { OpCode } from '../jute/opcodes.js';
import type { ServerConfig } from '../config/server-config.js';
import type { Logger } from '../server/log.js';
import type { Replication, ReplicationHost, ReplicationStats, Revalidation, WriteRequest } from '../server/replication.js';
import type { MonitorFigures } from '../server/mntr.js';
import { Prep, encodeCreateSessionBody } from '../server/prep/index.js';
import type { DurableStore } from '../storage/contracts.js';
import type { TxnEntry } from '../tree/txn.js';
import { ZkDatabase } from '../tree/zk-database.js';
import type { SessionInfo } from './contracts.js';
import { QuorumDriver, randomSeed } from './driver.js';
import { SeededPrng } from './prng.js';
import type { MemberRole, MemberState, ProtocolEventSink } from './protocol-events.js';
import type { ApplyItem, Serving } from './ready.js';
import { type QuorumTimingConfig } from './timings.js';
import type { ReplicationContext } from '../member/member.js';

/** The member's hook (member.ts `createReplication`) for ensemble configurations. */
export function createEnsembleReplication(ctx: ReplicationContext): EnsembleReplication {
  return new EnsembleReplication({
    config: ctx.config,
    db: ctx.db,
    logTail: ctx.logTail,
    store: ctx.store,
    events: ctx.events,
    log: ctx.log,
    afterApply: ctx.afterApply,
    onFatal: ctx.onFatal,
  });
}

export interface EnsembleReplicationOptions {
  config: ServerConfig;
  /** The database restored from the newest snapshot only (the log tail is not applied). */
  db: ZkDatabase;
  /** Durable log entries after that snapshot, not applied: the core decides when they commit. */
  logTail: TxnEntry[];
  store: DurableStore;
  events: ProtocolEventSink;
  log: Logger;
  /** Called after each applied txn (the snapshot policy counts them). */
  afterApply(): void;
  onFatal(error: Error): void;
  /** ZooLab knobs: committed window for DIFF (default 500), always SNAP. */
  windowSize?: number;
  forceSnapshotSync?: boolean;
}

/** Timings from zoo.cfg: ZooKeeper's tickTime/initLimit/syncLimit, FLE's constants (zab.md §10). */
export function timingFrom(config: ServerConfig): QuorumTimingConfig {
  const tick = config.tickTime;
  return {
    resolutionMs: Math.max(5, Math.min(50, Math.floor(tick / 10))),
    tickTime: tick,
    initLimit: config.initLimit,
    syncLimit: config.syncLimit,
    finalizeWaitMs: 200,
    minNotificationIntervalMs: 200,
    maxNotificationIntervalMs: Math.max(2000, Math.min(60_000, tick * 20)),
    readOnlyGraceMs: Math.max(2000, tick),
  };
}

export class EnsembleReplication implements Replication {
  private host: ReplicationHost | null = null;
  private db: ZkDatabase;
  private readonly prep: Prep;
  private readonly driver: QuorumDriver;
  private readonly syncs = new Map<bigint, (() => void)[]>();
  private readonly revalidations = new Map<bigint, ((verdict: Revalidation) => void)[]>();
  private serving_: Serving = 'none';
  private submitted = 0;
  /** When this member last became an established leader (mntr zk_leader_uptime). */
  private leaderSince: number | null = null;
  private closed = false;

  constructor(private readonly opts: EnsembleReplicationOptions) {
    const c = opts.config;
    if (c.myid === null) throw new Error('an ensemble member needs dataDir/myid');
    this.db = opts.db;
    this.prep = new Prep(this.db, { extendedTypesEnabled: c.extendedTypesEnabled, skipACL: c.skipACL, reconfigEnabled: c.reconfigEnabled });
    const sessions = (): SessionInfo[] => [...this.db.sessions()].map((s) => ({ id: s.id, timeoutMs: s.timeout }));
    const me = c.servers.find((s) => s.id === c.myid);
    const seed = randomSeed();
    this.driver = new QuorumDriver({
      sid: c.myid,
      members: c.servers.map((s) => ({ sid: s.id, type: s.type })),
      addresses: c.servers.map((s) => ({ sid: s.id, host: s.host, quorumPort: s.quorumPort, electionPort: s.electionPort })),
      listenHost: me?.host ?? '127.0.0.1',
      timing: timingFrom(c),
      windowSize: opts.windowSize ?? c.commitLogCount,
      forceSnapshotSync: opts.forceSnapshotSync ?? c.forceSnapshotSync,
      readOnlyEnabled: c.readOnlyModeEnabled,
      bugs: c.zoolab.bugs,
      store: opts.store,
      durable: {
        acceptedEpoch: opts.store.stable.acceptedEpoch(),
        currentEpoch: opts.store.stable.currentEpoch(),
        snapshotZxid: this.db.lastZxid,
        sessions: sessions(),
        log: opts.logTail,
      },
      preparer: {
        prepare: (req, zxid, time) => this.prep.prepare(req, zxid, time),
        closeSession: (sid, zxid, time) => this.prep.prepareCloseSession(sid, zxid, time),
        reap: (path, zxid, time) => this.prep.prepareReap(path, zxid, time, { maxNeverUsedIntervalMs: c.container.maxNeverUsedIntervalMs }),
        committed: (zxid) => this.prep.committed(zxid),
        reset: () => this.prep.reset(),
      },
      snapshots: { snapshot: () => ({ bytes: this.db.serialize(), sessions: sessions() }) },
      prng: new SeededPrng(seed),
      incarnation: seed,
      events: opts.events,
      log: opts.log,
      apply: (item) => this.apply(item),
      changed: (serving, role) => {
        if (role !== null) this.warnBugSwitches();
        this.changed(serving);
      },
      onFatal: opts.onFatal,
    });
  }

  get core() {
    return this.driver.core;
  }

  get role(): MemberRole {
    return this.driver.core.currentRole;
  }

  serving(): boolean {
    return this.serving_ !== 'none';
  }

  /** Says loudly, at start and on every role change, that this member breaks the protocol on purpose. */
  private warnBugSwitches(): void {
    const bugs = this.opts.config.zoolab.bugs;
    if (bugs.length > 0) this.opts.log.warn(`INSTRUCTOR BUG SWITCH ON: ${bugs.join(', ')} — this member breaks the protocol on purpose`);
  }

  start(host: ReplicationHost): void {
    this.host = host;
    this.warnBugSwitches();
    this.driver.start().catch((e: Error) => this.opts.onFatal(new Error(`cannot listen for peers: ${e.message}`)));
  }

  submit(req: WriteRequest): void {
    this.driver.input(() => {
      if (this.driver.core.submit(req)) this.submitted++;
    });
  }

  createSession(sessionId: bigint, timeout: number, passwd: Buffer): void {
    if (this.serving_ === 'ro') {
      // Read-only mode creates no global session (ZOOKEEPER-3863): a local one, never replicated.
      this.host?.sessionReady(sessionId, true);
      return;
    }
    const body = encodeCreateSessionBody(timeout, passwd);
    this.driver.input(() => {
      if (!this.driver.core.submit({ sessionId, cxid: 0, op: OpCode.createSession, body, authIds: [] })) this.host?.sessionReady(sessionId, false);
    });
  }

  sync(sessionId: bigint, _path: string, done: () => void): void {
    this.driver.input(() => {
      if (!this.driver.core.sync(sessionId)) return;
      let q = this.syncs.get(sessionId);
      if (!q) this.syncs.set(sessionId, (q = []));
      q.push(done);
    });
  }

  touch(sessionId: bigint): void {
    const timeout = this.db.session(sessionId)?.timeout ?? 0;
    this.driver.core.touch(sessionId, timeout);
  }

  revalidate(sessionId: bigint, timeout: number, done: (verdict: Revalidation) => void): void {
    if (this.serving_ === 'ro') return done(this.db.session(sessionId) !== undefined ? 'valid' : 'expired');
    this.driver.input(() => {
      // Not leading or following (any more): nobody can say whether the session lives.
      if (!this.driver.core.revalidate(sessionId, timeout)) return done('unavailable');
      let q = this.revalidations.get(sessionId);
      if (!q) this.revalidations.set(sessionId, (q = []));
      q.push(done);
    });
  }

  connectionClosed(): void {}

  lastAppliedZxid(): bigint {
    return this.db.lastZxid;
  }

  stats(): ReplicationStats {
    const leader = this.driver.core.leading;
    return {
      outstanding: this.submitted,
      pendingSyncs: leader?.pendingSyncCount() ?? [...this.syncs.values()].reduce((n, q) => n + q.length, 0),
      lastLoggedZxid: this.driver.core.history.last(),
    };
  }

  /** The role-specific fields of the lab's MemberState (contract point 8). */
  memberState(): Partial<MemberState> {
    const { znodeCount: _z, digest: _d, ...fromCore } = this.driver.core.state({ znodeCount: 0, digest: '' });
    return fromCore;
  }

  reap(path: string): void {
    this.driver.input(() => void this.driver.core.reap(path));
  }

  quorumFigures(): MonitorFigures['quorum'] {
    const core = this.driver.core;
    const leader = core.leading;
    const state = core.currentRole === 'read-only' ? 'looking' : core.currentRole;
    const figures: NonNullable<MonitorFigures['quorum']> = { peerState: `${state} - ${core.currentPhase}`, quorumSize: core.qv.voters.length };
    if (leader?.established) {
      const synced = leader.syncedLearnerIds();
      const sizes = this.driver.proposalSizes;
      if (this.leaderSince === null) this.leaderSince = this.driver.wallNow();
      figures.leader = {
        learners: leader.learnerIds().length,
        syncedFollowers: synced.filter((s) => core.qv.isVoter(s)).length,
        syncedNonVotingFollowers: 0,
        syncedObservers: synced.filter((s) => !core.qv.isVoter(s)).length,
        pendingSyncs: leader.pendingSyncCount(),
        leaderUptimeMs: this.driver.wallNow() - this.leaderSince,
        lastProposalSize: sizes?.last ?? -1,
        minProposalSize: sizes?.min ?? -1,
        maxProposalSize: sizes?.max ?? -1,
      };
    }
    return figures;
  }

  proposalSizes(): { last: number; min: number; max: number } | undefined {
    if (!this.driver.core.leading) return undefined;
    return this.driver.proposalSizes ?? { last: -1, min: -1, max: -1 };
  }

  sessionBuckets(): { expiresAt: number; sessions: bigint[] }[] {
    return this.driver.core.leading?.tracker.bucketSnapshot() ?? [];
  }

  /** Leader only (global sessions expire there, zab.md §5); false elsewhere. */
  expireSession(sessionId: bigint): boolean {
    let expired = false;
    this.driver.input(() => void (expired = this.driver.core.expireSession(sessionId)));
    return expired;
  }

  sessionTimeLeft(): { sessionId: bigint; expiresInMs: number }[] {
    return this.driver.core.leading?.sessionTimeLeft() ?? [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.stop();
  }

  // ---- from the driver -----------------------------------------------------------------

  private apply(item: ApplyItem): void {
    switch (item.kind) {
      case 'txn': {
        const entry = item.entry;
        const result = this.db.apply(entry);
        if (this.submitted > 0) this.submitted--;
        this.host?.applied(entry, result);
        this.opts.afterApply();
        if (result.result.op === 'closeSession' && this.opts.events.enabled) {
          const ephemerals = result.result.deleted.length;
          // Expiry closes with cxid 0; clients number their requests from 1.
          const reason = entry.cxid === 0 ? 'expired' : 'client';
          this.opts.events.emit({ kind: 'session-closed', sessionId: entry.sessionId, reason, ephemerals, zxid: entry.zxid });
        }
        return;
      }
      case 'restore':
        this.db = ZkDatabase.deserialize(item.bytes);
        this.prep.setDatabase(this.db);
        this.host?.databaseReplaced(this.db);
        return;
      case 'sync':
        return void this.syncs.get(item.sessionId)?.shift()?.();
      case 'revalidated':
        return void this.revalidations.get(item.sessionId)?.shift()?.(item.valid ? 'valid' : 'expired');
    }
  }

  private changed(serving: Serving | null): void {
    if (serving !== null) this.serving_ = serving;
    this.leaderSince = this.driver.core.leading?.established ? (this.leaderSince ?? this.driver.wallNow()) : null;
    if (this.serving_ === 'none') {
      // Clients are dropped: nothing waiting for them will be answered.
      this.syncs.clear();
      for (const q of this.revalidations.values()) for (const done of q) done('unavailable');
      this.revalidations.clear();
      this.submitted = 0;
    }
    this.host?.servingChanged(this.serving_ !== 'none', this.role);
    this.opts.events.stateChanged?.();
  }
}
