/**
 * The member's quorum driver (node): the only loop that turns time, sockets and disk into
 * the core's step / tick / ready / advance (style.md Part C). Ticks come from an interval
 * timer, messages from the peer transport; every batch is handled as ready.ts demands:
 * persist (durable) → send → apply → advance, one batch at a time, with everything that
 * arrived meanwhile going into the next batch (which is what makes the log's group
 * commit work: one fsync per batch, however many writes it carries).
 */
import { randomBytes } from 'node:crypto';
import type { DurableStore } from '../storage/contracts.js';
import type { BugSwitchName } from '../lab/api.js';
import type { Logger } from '../server/log.js';
import type { DurableState, Prng, RequestPreparer, SnapshotSource } from './contracts.js';
import type { Outgoing, PeerMessage } from './messages.js';
import { QuorumPeer } from './peer.js';
import { PeerTransport, type PeerAddress } from './peer-transport.js';
import type { ProtocolEventSink } from './protocol-events.js';
import type { MemberSpec } from './quorum-verifier.js';
import { type ApplyItem, type PersistOp, type Ready, type Serving, earlySends } from './ready.js';
import { type QuorumTimingConfig, TickClock } from './timings.js';

/** A random 32-bit value for the core's PRNG seed and link incarnation (distinct per start). */
export function randomSeed(): number {
  return randomBytes(4).readUInt32BE(0);
}

/**
 * Turns a Ready batch's `persist` list into store writes, in order (the driver and the
 * simulator persist exactly alike). An `append` directly followed by a `currentEpoch`
 * becomes one atomic `appendAndSetCurrentEpoch` (ZOOKEEPER-2354/4643: the sync txns and
 * the new epoch are durable together or not at all). Writes after a snapshot are issued
 * once it is durable: a SNAP's snapshot must precede the entries logged after it (a log
 * that continues past a missing snapshot cannot be recovered). Resolves once everything
 * is durable.
 */
export async function writePersistOps(store: DurableStore, ops: readonly PersistOp[]): Promise<void> {
  let writes: Promise<unknown>[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    switch (op.op) {
      case 'acceptedEpoch':
        writes.push(store.stable.setAcceptedEpoch(op.epoch));
        break;
      case 'currentEpoch':
        writes.push(store.stable.setCurrentEpoch(op.epoch));
        break;
      case 'truncate':
        writes.push(store.log.truncateAfter(op.zxid));
        break;
      case 'snapshot':
        writes.push(store.snapshots.write(op.zxid, op.bytes));
        await Promise.all(writes);
        writes = [];
        break;
      case 'append': {
        const next = ops[i + 1];
        if (next?.op === 'currentEpoch') {
          writes.push(store.appendAndSetCurrentEpoch(op.entries, next.epoch));
          i++;
        } else {
          writes.push(store.log.append(op.entries));
        }
        break;
      }
    }
  }
  await Promise.all(writes);
}

export interface QuorumDriverOptions {
  sid: number;
  members: readonly MemberSpec[];
  addresses: readonly PeerAddress[];
  listenHost: string;
  timing: QuorumTimingConfig;
  windowSize?: number;
  forceSnapshotSync?: boolean;
  readOnlyEnabled?: boolean;
  /** Instructor bug switches (zoolab.bugs, docs/teaching.md); empty in a real ensemble. */
  bugs?: readonly BugSwitchName[];
  store: DurableStore;
  durable: DurableState;
  preparer: RequestPreparer;
  snapshots: SnapshotSource;
  prng: Prng;
  incarnation: number;
  events: ProtocolEventSink;
  log: Logger;
  /** Applies one item to the database and tells the client side (synchronous). */
  apply(item: ApplyItem): void;
  /** Serving mode or role changed (after this batch's apply). */
  changed(serving: Serving | null, role: Ready['role']): void;
  /** The disk failed: durability is unknown, the member must stop. */
  onFatal(error: Error): void;
}

export class QuorumDriver {
  readonly core: QuorumPeer;
  private readonly transport: PeerTransport;
  private timer: NodeJS.Timeout | null = null;
  private clock: TickClock | null = null;
  private scheduled = false;
  private busy: Promise<void> | null = null;
  private stopped = false;
  private failed = false;

  constructor(private readonly opts: QuorumDriverOptions) {
    this.core = new QuorumPeer(
      {
        sid: opts.sid,
        members: opts.members,
        timing: opts.timing,
        incarnation: opts.incarnation,
        windowSize: opts.windowSize,
        forceSnapshotSync: opts.forceSnapshotSync,
        readOnlyEnabled: opts.readOnlyEnabled,
        recordEvents: opts.events.enabled,
        bugs: opts.bugs,
      },
      opts.durable,
      { preparer: opts.preparer, snapshots: opts.snapshots, prng: opts.prng },
    );
    const t = opts.timing;
    this.transport = new PeerTransport(
      {
        self: opts.sid,
        members: opts.addresses,
        listenHost: opts.listenHost,
        connectTimeoutMs: Math.max(1000, t.tickTime * 2),
        handshakeTimeoutMs: t.tickTime * t.syncLimit,
        log: opts.log.child('peers'),
      },
      {
        message: (from, msg) => this.onMessage(from, msg),
        linkClosed: (peer, link) => this.input(() => this.core.linkClosed(peer, link)),
        peerConnection: (peer, up) => this.input(() => this.core.peerConnection(peer, up)),
      },
    );
  }

  async start(): Promise<void> {
    const r = this.core.repairedCurrentEpoch;
    if (r) this.opts.log.warn(`currentEpoch ${r.from} was behind the log; raised to ${r.to} (an interrupted SNAP sync, ZOOKEEPER-2354)`);
    await this.transport.start();
    this.clock = new TickClock(this.opts.timing.resolutionMs, performance.now());
    this.timer = setInterval(() => this.onTimer(), this.opts.timing.resolutionMs);
    this.schedule();
  }

  /**
   * Ticks the core by elapsed time (TickClock): a process that was paused (SIGSTOP, the
   * lab's "pause") or starved gets every tick it missed, so a resumed leader that heard
   * nobody for syncLimit steps down at once instead of leading on, and reporting "leader",
   * for another syncLimit of ticks.
   */
  private onTimer(): void {
    let due = this.clock!.due(performance.now());
    if (due === 0) return;
    const wall = Date.now();
    this.input(() => {
      while (due-- > 0) this.core.tick(wall);
    });
  }

  private onMessage(from: number, msg: PeerMessage): void {
    this.input(() => this.core.step(from, msg));
  }

  /** Runs an input against the core (synchronously) and schedules a pump. */
  input(fn: () => void): void {
    if (this.stopped || this.failed) return;
    fn();
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    // Let every message that arrived in this turn reach the core before taking a batch.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.busy) this.busy = this.pump().finally(() => (this.busy = null));
      else this.flushNow();
    });
  }

  private async pump(): Promise<void> {
    while (!this.failed) {
      const r = this.core.ready();
      if (!r) return;
      for (const item of r.applyNow) this.opts.apply(item);
      const { early, late } = earlySends(r.send);
      this.sendAll(early);
      try {
        if (r.persist.length > 0) await writePersistOps(this.opts.store, r.persist);
      } catch (e) {
        this.failed = true;
        this.opts.onFatal(e as Error);
        return;
      }
      this.report(r);
      this.sendAll(late);
      // Apply and advance in one synchronous run: the core relies on it (contracts.ts SnapshotSource).
      for (const item of r.apply) this.opts.apply(item);
      if (r.serving !== null || r.role !== null) this.opts.changed(r.serving, r.role);
      this.core.advance();
    }
  }

  private sendAll(messages: readonly Outgoing[]): void {
    if (this.stopped) return;
    for (const o of messages) {
      const size = this.transport.send(o.to, o.msg);
      if (o.msg.type === 'zab' && o.msg.body.type === 'proposal' && size > 0) this.recordProposal(size);
    }
  }

  /** A leader's proposal sizes in bytes (srvr "Proposal sizes last/min/max"). */
  proposalSizes: { last: number; min: number; max: number } | undefined;

  private recordProposal(size: number): void {
    const p = this.proposalSizes;
    this.proposalSizes = p ? { last: size, min: Math.min(p.min, size), max: Math.max(p.max, size) } : { last: size, min: size, max: size };
  }

  /** While a batch is being persisted, applies and sends what need not wait for it. */
  private flushNow(): void {
    if (this.failed) return;
    const now = this.core.readyNow();
    if (!now) return;
    for (const item of now.apply) this.opts.apply(item);
    this.sendAll(now.send);
  }

  private report(r: Ready): void {
    const sink = this.opts.events;
    if (!sink.enabled) return;
    for (const e of r.events) sink.emit(e);
    let count = 0;
    let last = 0n;
    for (const op of r.persist) {
      if (op.op !== 'append' || op.entries.length === 0) continue;
      count += op.entries.length;
      last = op.entries[op.entries.length - 1]!.zxid;
    }
    if (count > 0) sink.emit({ kind: 'logged', zxid: last, count });
  }

  /** Wall-clock ms (the driver is where the member's clock lives). */
  wallNow(): number {
    return Date.now();
  }

  /** Stops ticking and talking; waits for the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy?.catch(() => undefined);
    await this.transport.stop();
  }
}
