/**
 * One simulated member: the real protocol core (QuorumPeer), the real database
 * (ZkDatabase), the real memory store and recovery, driven the way driver.ts drives a
 * member process — persist, then send, then apply, then advance — with a simulated disk
 * latency. `crash()` is kill -9: what was not flushed is lost (optionally a prefix of
 * the pending writes survives, like a half-finished fsync); `start()` recovers from what
 * the store holds.
 */
import { writePersistOps } from '../../engine/src/quorum/driver.js';
import type { DurableState } from '../../engine/src/quorum/contracts.js';
import type { Outgoing } from '../../engine/src/quorum/messages.js';
import { QuorumPeer, type PeerOptions } from '../../engine/src/quorum/peer.js';
import type { SeededPrng } from '../../engine/src/quorum/prng.js';
import { type ApplyItem, type Ready, type Serving, earlySends } from '../../engine/src/quorum/ready.js';
import { MemoryStore } from '../../engine/src/storage/memory-store.js';
import type { DurableStore } from '../../engine/src/storage/contracts.js';
import { recover } from '../../engine/src/storage/recovery.js';
import type { TxnEntry } from '../../engine/src/tree/txn.js';
import type { ApplyResult } from '../../engine/src/tree/types.js';
import { ZkDatabase } from '../../engine/src/tree/zk-database.js';
import { Prep } from '../../engine/src/server/prep/index.js';
import type { RequestPreparer } from '../../engine/src/quorum/contracts.js';

/** What the simulation watches as a member runs (ghost state, clients, checkers). */
export interface MemberObserver {
  /** A batch was taken from the core (before its writes are issued). */
  batch(m: SimMember, r: Ready): void;
  /** The batch is durable; its messages are about to leave. */
  durable(m: SimMember, r: Ready): void;
  sent(m: SimMember, out: Outgoing): void;
  applied(m: SimMember, entry: TxnEntry, result: ApplyResult): void;
  restored(m: SimMember, zxid: bigint): void;
  item(m: SimMember, item: ApplyItem): void;
  servingChanged(m: SimMember, serving: Serving): void;
  storageError(m: SimMember, error: Error): void;
}

export interface SimMemberOptions {
  peer: Omit<PeerOptions, 'incarnation'>;
  /** Ticks a batch takes to become durable: diskLatencyMin..diskLatencyMax (0: within the tick). */
  diskLatencyMin?: number;
  diskLatencyMax: number;
  /** Probability of writing a snapshot after a batch that applied something. */
  snapshotP: number;
}

export class SimMember {
  /** Its disk; `wipe()` replaces it with an empty one (a new disk, the lab's member.wipe). */
  store = new MemoryStore();
  db = new ZkDatabase();
  core: QuorumPeer | null = null;
  /** The real request preparation, behind the core's RequestPreparer. */
  private prep = new Prep(this.db);
  private readonly preparer: RequestPreparer = {
    prepare: (req, zxid, time) => this.prep.prepare(req, zxid, time),
    closeSession: (sid, zxid, time) => this.prep.prepareCloseSession(sid, zxid, time),
    reap: (path, zxid, time) => this.prep.prepareReap(path, zxid, time, {}),
    committed: (zxid) => this.prep.committed(zxid),
    reset: () => this.prep.reset(),
  };
  private inFlight: { ready: Ready; late: Outgoing[]; doneAt: number; durable: boolean; failed: boolean } | null = null;
  incarnations = 0;

  constructor(
    readonly sid: number,
    private readonly opts: SimMemberOptions,
    private readonly prng: SeededPrng,
    private readonly observer: MemberObserver,
  ) {}

  get up(): boolean {
    return this.core !== null;
  }

  get serving(): Serving {
    return this.core?.servingMode ?? 'none';
  }

  /** Recovers from the store (snapshot + log tail, like a restarted process) and starts the core. */
  start(): void {
    const rec = recover<{ db: ZkDatabase; tail: TxnEntry[] }>(this.store.recoveryInput(), {
      empty: () => ({ db: new ZkDatabase(), tail: [] }),
      deserialize: (bytes) => ({ db: ZkDatabase.deserialize(bytes), tail: [] }),
      apply: (d, e) => void d.tail.push(e),
    });
    if (rec.truncateAfter !== null) throw new Error(`member ${this.sid}: recovery found a damaged tail`);
    this.db = rec.db.db;
    this.prep = new Prep(this.db);
    const durable: DurableState = {
      acceptedEpoch: this.store.stable.acceptedEpoch(),
      currentEpoch: this.store.stable.currentEpoch(),
      snapshotZxid: this.db.lastZxid,
      sessions: [...this.db.sessions()].map((s) => ({ id: s.id, timeoutMs: s.timeout })),
      log: rec.db.tail,
    };
    this.incarnations++;
    this.core = new QuorumPeer({ ...this.opts.peer, incarnation: this.prng.next() }, durable, {
      preparer: this.preparer,
      snapshots: { snapshot: () => ({ bytes: this.db.serialize(), sessions: [...this.db.sessions()].map((s) => ({ id: s.id, timeoutMs: s.timeout })) }) },
      prng: this.prng.fork(),
    });
    this.observer.restored(this, this.db.lastZxid);
  }

  /** kill -9: the first `survivingWrites` pending store writes reach the disk, the rest are lost. */
  crash(survivingWrites = 0): void {
    if (survivingWrites > 0) this.store.flush(survivingWrites);
    this.store.crash();
    this.core = null;
    this.inFlight = null;
  }

  /** A stopped member's disk is replaced by an empty one (ZOOKEEPER-261: it must not vote as if it had zxid 0). */
  wipe(): void {
    if (this.core) throw new Error(`member ${this.sid}: wipe a stopped member`);
    this.store = new MemoryStore();
  }

  /** Pending (not yet durable) store writes. */
  get pendingWrites(): number {
    return this.store.pending();
  }

  /**
   * Runs batches until the core is idle or a batch waits for the disk. Returns true when a
   * batch's writes are still settling in the store (a snapshot streams over microtasks):
   * then `settle()` must run before pumping again.
   */
  pump(now: number, send: (from: number, out: Outgoing) => void): boolean {
    for (let guard = 0; guard < 10000; guard++) {
      if (!this.core) return false;
      if (!this.inFlight) {
        const r = this.core.ready();
        if (!r) return false;
        this.observer.batch(this, r);
        // Committed txns logged earlier are applied, and messages that need nothing of this
        // batch's writes leave, at once (ready.ts step 0).
        for (const item of r.applyNow) this.applyItem(item);
        const { early, late } = earlySends(r.send);
        for (const out of early) {
          this.observer.sent(this, out);
          send(this.sid, out);
        }
        const min = this.opts.diskLatencyMin ?? 0;
        const latency = this.opts.diskLatencyMax > 0 && r.persist.length > 0 ? min + this.prng.int(Math.max(0, this.opts.diskLatencyMax - min) + 1) : 0;
        const batch = { ready: r, late, doneAt: now + latency, durable: r.persist.length === 0, failed: false };
        this.inFlight = batch;
        if (!batch.durable) {
          const incarnation = this.incarnations;
          writePersistOps(this.storeOf(incarnation), r.persist).then(
            () => void (batch.durable = true),
            (e: Error) => {
              batch.failed = true;
              this.storageError(e, incarnation);
            },
          );
        }
      }
      const batch = this.inFlight;
      if (batch.doneAt > now) {
        // The disk is busy: apply and send what need not wait for it (driver.ts flushNow).
        const ready = this.core.readyNow();
        if (ready) {
          for (const item of ready.apply) this.applyItem(item);
          for (const out of ready.send) {
            this.observer.sent(this, out);
            send(this.sid, out);
          }
        }
        return false;
      }
      this.store.flush();
      // Without a snapshot every write was queued synchronously, so the flush made it durable.
      if (!batch.durable && !batch.ready.persist.some((op) => op.op === 'snapshot')) batch.durable = true;
      if (batch.failed) {
        this.crash(); // a member whose disk failed stops
        return false;
      }
      if (!batch.durable) return true;
      this.finish(batch.ready, batch.late, send);
    }
    throw new Error(`member ${this.sid}: the core kept producing batches`);
  }

  /** Lets a streaming snapshot write land (microtasks), then finishes its batch. */
  async settle(send: (from: number, out: Outgoing) => void): Promise<void> {
    const batch = this.inFlight;
    for (let i = 0; i < 100 && batch && !batch.durable && !batch.failed; i++) {
      this.store.flush();
      await null;
    }
    if (!batch || this.inFlight !== batch || !this.core) return;
    if (batch.failed) return this.crash();
    if (!batch.durable) throw new Error(`member ${this.sid}: a batch never became durable`);
    this.finish(batch.ready, batch.late, send);
  }

  /** Durable: send, apply, advance (ready.ts order). */
  private finish(r: Ready, late: Outgoing[], send: (from: number, out: Outgoing) => void): void {
    const core = this.core!;
    this.observer.durable(this, r);
    for (const out of late) {
      this.observer.sent(this, out);
      send(this.sid, out);
    }
    let appliedAny = false;
    for (const item of r.apply) appliedAny = this.applyItem(item) || appliedAny;
    if (r.serving !== null) this.observer.servingChanged(this, r.serving);
    core.advance();
    this.inFlight = null;
    if (appliedAny && this.prng.chance(this.opts.snapshotP)) this.issueSnapshot();
  }

  /**
   * The store as one incarnation sees it. The memory store outlives a simulated kill -9,
   * but a dead process issues no more writes: a write chain of a dead incarnation (one
   * that was waiting for a snapshot to land) must not continue into the restarted one.
   */
  private storeOf(incarnation: number): DurableStore {
    const s = this.store;
    const live = (): boolean => this.incarnations === incarnation && this.core !== null;
    const guard = <T>(write: () => Promise<T>): Promise<T> => (live() ? write() : new Promise<T>(() => undefined));
    return {
      log: {
        append: (entries) => guard(() => s.log.append(entries)),
        read: (after, upTo) => s.log.read(after, upTo),
        truncateAfter: (zxid) => guard(() => s.log.truncateAfter(zxid)),
        lastZxid: () => s.log.lastZxid(),
        firstZxid: () => s.log.firstZxid(),
      },
      stable: {
        acceptedEpoch: () => s.stable.acceptedEpoch(),
        currentEpoch: () => s.stable.currentEpoch(),
        setAcceptedEpoch: (epoch) => guard(() => s.stable.setAcceptedEpoch(epoch)),
        setCurrentEpoch: (epoch) => guard(() => s.stable.setCurrentEpoch(epoch)),
      },
      snapshots: {
        write: (zxid, data) => guard(() => s.snapshots.write(zxid, data)),
        latest: () => s.snapshots.latest(),
        list: () => s.snapshots.list(),
        purge: (retain) => guard(() => s.snapshots.purge(retain)),
      },
      appendAndSetCurrentEpoch: (entries, epoch) => guard(() => s.appendAndSetCurrentEpoch(entries, epoch)),
      installSnapshot: (zxid, bytes) => guard(() => s.installSnapshot(zxid, bytes)),
      recoveryInput: () => s.recoveryInput(),
      close: () => s.close(),
    };
  }

  private issueSnapshot(): void {
    const incarnation = this.incarnations;
    this.store.snapshots.write(this.db.lastZxid, this.db.serialize()).catch((e: Error) => this.storageError(e, incarnation));
  }

  /**
   * The memory store outlives a simulated crash, so a dead incarnation's half-issued
   * snapshot may still trickle in and be refused; a real process would be gone. Only
   * the live incarnation's errors count.
   */
  private storageError(e: Error, incarnation: number): void {
    if (incarnation === this.incarnations && this.core) this.observer.storageError(this, e);
  }

  private applyItem(item: ApplyItem): boolean {
    switch (item.kind) {
      case 'txn': {
        const result = this.db.apply(item.entry);
        this.observer.applied(this, item.entry, result);
        return true;
      }
      case 'restore':
        this.db = ZkDatabase.deserialize(item.bytes);
        this.prep.setDatabase(this.db);
        if (this.db.lastZxid !== item.zxid) throw new Error(`member ${this.sid}: snapshot claims ${item.zxid} but holds ${this.db.lastZxid}`);
        this.observer.restored(this, item.zxid);
        return true;
      default:
        this.observer.item(this, item);
        return false;
    }
  }
}
