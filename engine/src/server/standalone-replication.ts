/**
 * The standalone member's Replication (see replication.ts for the contract):
 *
 *   submit → Prep assigns the next zxid → batch → TxnLog.append (group commit: one
 *   append per event-loop turn, never one await per write) → durable → apply to the
 *   database in zxid order → host.applied → (host fires watches, replies)
 *
 * It also owns what only the member that prepares txns does: session expiry (tickTime
 * buckets → closeSession txns, §13.2) and container/TTL reaping (§10.3, §10.4), and what
 * every member does for its own log: snapshots every ~snapCount txns (SnapshotPolicy).
 *
 * A failed log write is fatal (durability unknown, storage contracts): `onFatal` is
 * called once and nothing more is applied or answered.
 */
import { OpCode, opName } from '../jute/opcodes.js';
import type { TxnEntry } from '../tree/txn.js';
import type { ZkDatabase } from '../tree/zk-database.js';
import type { TxnLog } from '../storage/contracts.js';
import { NO_EVENTS, type MemberRole, type ProtocolEventSink } from '../quorum/protocol-events.js';
import type { Replication, ReplicationHost, ReplicationStats, Revalidation, WriteRequest } from './replication.js';
import type { SessionTracking, TxnPreparer } from './server-deps.js';
import type { Timers } from './timers.js';
import type { Logger } from './log.js';
import type { LatencyStats } from './server-stats.js';

export interface StandaloneOptions {
  db: ZkDatabase;
  log: TxnLog;
  prep: TxnPreparer;
  sessions: SessionTracking;
  timers: Timers;
  tickTime: number;
  logger: Logger;
  events?: ProtocolEventSink;
  /** Called after each applied txn (snapshot policy, stats); runs after the host saw it. */
  afterApply?: (entry: TxnEntry) => void;
  /** Records how long each log append took to become durable (mntr fsynctime). */
  fsyncTime?: LatencyStats;
  /** The log failed: the member must stop (durability unknown). */
  onFatal(error: Error): void;
}

/**
 * Appends handed to the log and not yet durable, at most. While they are in flight, new
 * entries accumulate into one bigger batch (ZooKeeper's SyncRequestProcessor does the
 * same): throughput then scales with load instead of paying a flush per event-loop turn.
 * The SQLite store's writer merges appends that queue up behind a commit into its next
 * commit, so handing them over early costs nothing on a slow disk: with 2 here, 4 writers
 * at 1 in flight on a 5 ms fsync shared a flush by twos (272 ops/s, p50 17 ms); with 8,
 * 347 ops/s, p50 11.6 ms, and 4 × 100 went from 23.9k to 33.9k ops/s. On this machine's
 * fast fsync the difference is within noise (docs/benchmarks.md, slowdisk).
 */
const MAX_APPENDS_IN_FLIGHT = 8;

interface Batch {
  entries: TxnEntry[];
  durable: boolean;
  /** sync requests released once this batch is applied (§17). */
  syncs: (() => void)[];
}

export class StandaloneReplication implements Replication {
  readonly role: MemberRole = 'standalone';
  private host: ReplicationHost | null = null;
  /** The last zxid handed out by prep. */
  private lastPrepared: bigint;
  /** Entries prepared this turn, not yet handed to the log. */
  private current: Batch | null = null;
  /** Batches handed to the log, oldest first, applied strictly in this order. */
  private readonly inFlight: Batch[] = [];
  private outstandingWrites = 0;
  private pendingSyncCount = 0;
  private stopTimers: (() => void)[] = [];
  private closed = false;
  private failed: Error | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly events: ProtocolEventSink;

  constructor(private readonly opts: StandaloneOptions) {
    this.lastPrepared = opts.db.lastZxid;
    this.events = opts.events ?? NO_EVENTS;
  }

  serving(): boolean {
    return !this.closed && this.failed === null;
  }

  start(host: ReplicationHost): void {
    this.host = host;
    const now = this.opts.timers.monotonic();
    // Sessions restored from disk get a full fresh timeout (zab.md §5, as after an election).
    for (const s of this.opts.db.sessions()) this.opts.sessions.addSession(s.id, s.timeout, now);
    this.stopTimers.push(this.opts.timers.every(this.opts.tickTime, () => this.expireSessions()));
  }

  /** Schedules background work that prepares txns (the container reaper uses it). */
  addTimer(stop: () => void): void {
    this.stopTimers.push(stop);
  }

  lastAppliedZxid(): bigint {
    return this.opts.db.lastZxid;
  }

  stats(): ReplicationStats {
    return { outstanding: this.outstandingWrites, pendingSyncs: this.pendingSyncCount, lastLoggedZxid: this.opts.log.lastZxid() };
  }

  // ------------------------------------------------------------------ writes

  submit(req: WriteRequest): void {
    if (!this.accepting()) return;
    if (req.op === OpCode.closeSession) this.opts.sessions.setClosing(req.sessionId);
    this.enqueue(this.prepared((zxid) => this.opts.prep.prepare(req, zxid, this.opts.timers.now())));
  }

  createSession(sessionId: bigint, timeout: number, passwd: Buffer): void {
    if (!this.accepting()) return;
    // Tracked from prep time, as ZooKeeper does, so a session that never completes still expires.
    this.opts.sessions.addSession(sessionId, timeout, this.opts.timers.monotonic());
    this.enqueue(this.prepared((zxid) => this.opts.prep.createSession(sessionId, timeout, passwd, zxid, this.opts.timers.now())));
  }

  /** Prepares a server-internal delete (container/TTL reaper). */
  reap(path: string): void {
    if (!this.accepting()) return;
    this.enqueue(this.prepared((zxid) => this.opts.prep.reapDelete(path, zxid, this.opts.timers.now())));
  }

  sync(_sessionId: bigint, _path: string, done: () => void): void {
    if (!this.accepting()) return;
    // Standalone: everything submitted before the sync must be applied first.
    const last = this.current ?? this.inFlight[this.inFlight.length - 1];
    if (last === undefined) return done();
    this.pendingSyncCount++;
    last.syncs.push(done);
  }

  touch(sessionId: bigint): void {
    if (sessionId !== 0n) this.opts.sessions.touchSession(sessionId, undefined, this.opts.timers.monotonic());
  }

  revalidate(sessionId: bigint, timeout: number, done: (verdict: Revalidation) => void): void {
    if (!this.accepting()) return done('unavailable');
    done(this.opts.sessions.touchSession(sessionId, timeout, this.opts.timers.monotonic()) ? 'valid' : 'expired');
  }

  sessionBuckets(): { expiresAt: number; sessions: bigint[] }[] {
    return this.opts.sessions.bucketSnapshot();
  }

  sessionTimeLeft(): { sessionId: bigint; expiresInMs: number }[] {
    const now = this.opts.timers.monotonic();
    return this.sessionBuckets().flatMap((b) => b.sessions.map((sessionId) => ({ sessionId, expiresInMs: b.expiresAt - now })));
  }

  connectionClosed(): void {
    // The session lives on until it expires or is closed (§13.2).
  }

  private accepting(): boolean {
    return !this.closed && this.failed === null && this.host !== null;
  }

  /**
   * Runs prep with the next zxid; the zxid is used up only when prep returns a txn, so a
   * prep failure (a bug: prep never throws for bad input) leaves no gap in the log.
   */
  private prepared(prepare: (zxid: bigint) => TxnEntry): TxnEntry {
    const entry = prepare(this.lastPrepared + 1n);
    this.lastPrepared = entry.zxid;
    return entry;
  }

  private enqueue(entry: TxnEntry): void {
    this.outstandingWrites++;
    if (this.current === null) {
      this.current = { entries: [], durable: false, syncs: [] };
      // One log append per turn: everything prepared in this turn goes in one batch.
      setImmediate(() => this.flush());
    }
    this.current.entries.push(entry);
  }

  private flush(): void {
    const batch = this.current;
    if (batch === null || this.failed !== null) return;
    // The batch keeps growing until an append in flight completes (see above).
    if (this.inFlight.filter((b) => !b.durable).length >= MAX_APPENDS_IN_FLIGHT) return;
    this.current = null;
    this.inFlight.push(batch);
    const started = performance.now();
    this.opts.log.append(batch.entries).then(
      () => {
        this.opts.fsyncTime?.record(Math.round(performance.now() - started));
        batch.durable = true;
        this.applyDurable();
        if (this.current !== null) this.flush();
      },
      (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** Applies every durable batch at the head of the queue, in zxid order. */
  private applyDurable(): void {
    const host = this.host!;
    while (this.inFlight.length > 0 && this.inFlight[0]!.durable && this.failed === null) {
      const batch = this.inFlight.shift()!;
      for (const entry of batch.entries) {
        const result = this.opts.db.apply(entry);
        this.opts.prep.committed(entry.zxid);
        this.outstandingWrites--;
        this.afterApplied(entry, result.result.op === 'closeSession' ? result.result.deleted.length : 0);
        host.applied(entry, result);
        this.opts.afterApply?.(entry);
      }
      for (const release of batch.syncs) {
        this.pendingSyncCount--;
        release();
      }
    }
    if (this.inFlight.length === 0 && this.current === null) this.notifyIdle();
  }

  private afterApplied(entry: TxnEntry, ephemerals: number): void {
    const op = entry.txn.op;
    if (op === OpCode.closeSession) this.opts.sessions.removeSession(entry.sessionId);
    if (!this.events.enabled) return;
    this.events.emit({ kind: 'committed', zxid: entry.zxid, op: opName(op) });
    if (op === OpCode.createSession) {
      this.events.emit({ kind: 'session-created', sessionId: entry.sessionId, timeoutMs: entry.txn.timeout, zxid: entry.zxid });
    } else if (op === OpCode.closeSession) {
      const reason = this.expiredSessions.delete(entry.sessionId) ? 'expired' : 'client';
      this.events.emit({ kind: 'session-closed', sessionId: entry.sessionId, reason, ephemerals, zxid: entry.zxid });
    }
  }

  // ------------------------------------------------------------------ sessions

  private readonly expiredSessions = new Set<bigint>();

  /** Every tick: sessions past their deadline get a closeSession txn (§13.2). */
  private expireSessions(): void {
    if (!this.accepting()) return;
    for (const { id: sid } of this.opts.sessions.expire(this.opts.timers.monotonic())) this.closeExpired(sid, 'expired');
  }

  expireSession(sessionId: bigint): boolean {
    if (!this.accepting()) return false;
    // Touching first tells whether it is alive (unknown or closing → false) without reviving a dead one.
    if (!this.opts.sessions.touchSession(sessionId, undefined, this.opts.timers.monotonic())) return false;
    this.opts.sessions.setClosing(sessionId);
    this.closeExpired(sessionId, 'expired on request');
    return true;
  }

  private closeExpired(sid: bigint, why: string): void {
    this.opts.logger.info(`session 0x${sid.toString(16)} ${why}`);
    this.expiredSessions.add(sid);
    if (this.events.enabled) this.events.emit({ kind: 'session-expired', sessionId: sid });
    this.enqueue(this.prepared((zxid) => this.opts.prep.closeSession(sid, zxid, this.opts.timers.now())));
  }

  // ------------------------------------------------------------------ lifecycle

  private fail(error: Error): void {
    if (this.failed !== null) return;
    this.failed = error;
    this.opts.logger.error(`transaction log write failed, stopping: ${error.message}`);
    this.host?.servingChanged(false, this.role);
    this.notifyIdle();
    this.opts.onFatal(error);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once everything prepared so far is applied (or the log failed). */
  whenIdle(): Promise<void> {
    if ((this.inFlight.length === 0 && this.current === null) || this.failed !== null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stopTimers) stop();
    this.stopTimers = [];
    await this.whenIdle();
  }
}
