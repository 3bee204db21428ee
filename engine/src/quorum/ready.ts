/**
 * The core's output, one batch at a time (etcd rawnode's Ready, style.md B3). A driver
 * handles a batch strictly in this order:
 *
 *   0. now     — apply `applyNow` at once, synchronously, before anything else: committed
 *      txns logged in earlier batches (and sync/revalidation answers queued behind them),
 *      which depend on nothing this batch writes; the core counts them applied already;
 *      early   — messages marked `early` may be sent at once, but per destination only
 *      the leading run of early ones (`earlySends`): a message never overtakes an earlier
 *      one to the same member, whose link numbers its packets;
 *   1. persist — execute `persist` in order and make it durable (one SQLite transaction,
 *      or fsync), so a crash keeps all of it or none of it;
 *   2. send    — only then deliver the rest of `send` (an ACK or a NEWLEADER ACK therefore
 *      always follows the durability of what it acknowledges: zab.md §8 invariant 10);
 *   3. apply   — apply `apply` to the database in order, then answer clients;
 *   4. advance — call `advance()`; only then ask for the next batch.
 *
 * Events describe what happened in the batch; report them after step 1.
 */
import type { TxnEntry } from '../tree/txn.js';
import type { Outgoing } from './messages.js';
import type { MemberRole, ProtocolEvent, ZabPhase } from './protocol-events.js';

export type PersistOp =
  | { op: 'acceptedEpoch'; epoch: number }
  | { op: 'currentEpoch'; epoch: number }
  /** Remove every log entry with zxid > `zxid` (TRUNC). */
  | { op: 'truncate'; zxid: bigint }
  /** SNAP: store the snapshot and drop the whole log; later appends continue after `zxid`. */
  | { op: 'snapshot'; zxid: bigint; bytes: Buffer }
  | { op: 'append'; entries: TxnEntry[] };

export type ApplyItem =
  /** A committed transaction: apply it (its zxid is the next one this database lacks). */
  | { kind: 'txn'; entry: TxnEntry }
  /** Replace the database with this snapshot (SNAP), then continue with later txns. */
  | { kind: 'restore'; zxid: bigint; bytes: Buffer }
  /** A client `sync` may be answered now: every txn before it has been applied. */
  | { kind: 'sync'; sessionId: bigint }
  /** A reconnecting session's verdict (zab.md §5 REVALIDATE). */
  | { kind: 'revalidated'; sessionId: bigint; valid: boolean };

/** Whether client connections may be served: read-write, read-only (zab.md §6), or not. */
export type Serving = 'rw' | 'ro' | 'none';

export interface Ready {
  persist: PersistOp[];
  send: Outgoing[];
  /** Apply before persisting (step 0): the leading items of this batch's apply list that may. */
  applyNow: ApplyItem[];
  apply: ApplyItem[];
  events: ProtocolEvent[];
  /** Set when serving changed in this batch; the driver drops clients when it leaves a mode. */
  serving: Serving | null;
  /** Set when role or phase changed in this batch. */
  role: { role: MemberRole; phase: ZabPhase | null } | null;
}

/**
 * Splits a batch's messages into those that may leave before its persist completes and
 * the rest, keeping the order of messages to each destination (step 0 above).
 */
export function earlySends(send: readonly Outgoing[]): { early: Outgoing[]; late: Outgoing[] } {
  const early: Outgoing[] = [];
  const late: Outgoing[] = [];
  const held = new Set<number>();
  for (const o of send) {
    if (o.unordered || (o.early && !held.has(o.to))) early.push(o);
    else {
      held.add(o.to);
      late.push(o);
    }
  }
  return { early, late };
}

/** Collects one batch. Cores write to it; `ready()` hands it out. */
export class Outbox {
  persist: PersistOp[] = [];
  send: Outgoing[] = [];
  apply: ApplyItem[] = [];
  events: ProtocolEvent[] = [];
  serving: Serving | null = null;
  role: { role: MemberRole; phase: ZabPhase | null } | null = null;

  /**
   * Bug switch ackBeforeFsync only: committed txns may be applied before this member's own
   * write of them is durable (the "now" steps ignore this batch's and the in-flight appends).
   */
  private readonly applyBeforeDurable: boolean;

  constructor(
    readonly recordEvents: boolean,
    opts: { applyBeforeDurable?: boolean } = {},
  ) {
    this.applyBeforeDurable = opts.applyBeforeDurable ?? false;
  }

  get empty(): boolean {
    return (
      this.persist.length === 0 &&
      this.send.length === 0 &&
      this.apply.length === 0 &&
      this.events.length === 0 &&
      this.serving === null &&
      this.role === null
    );
  }

  /** Appends entries, merging with a trailing append so one batch is one log write. */
  /** The first zxid this batch logs: txns from it on are not durable until the batch is. */
  firstAppended: bigint | null = null;

  append(entry: TxnEntry): void {
    if (this.firstAppended === null) this.firstAppended = entry.zxid;
    const last = this.persist[this.persist.length - 1];
    if (last && last.op === 'append') last.entries.push(entry);
    else this.persist.push({ op: 'append', entries: [entry] });
  }

  /** Records an event; `make` runs only when somebody listens. */
  event(make: () => ProtocolEvent): void {
    if (this.recordEvents) this.events.push(make());
  }

  /** How many leading apply items depend on nothing this batch writes (step 0). */
  private applyNowCount(): number {
    let n = 0;
    for (const a of this.apply) {
      if (a.kind === 'restore') break;
      if (a.kind === 'txn' && !this.applyBeforeDurable && this.firstAppended !== null && a.entry.zxid >= this.firstAppended) break;
      n++;
    }
    return n;
  }

  /**
   * While a batch is being persisted: takes what may happen at once without waiting for
   * it — the leading committed txns logged before `durableBelow` (and sync/revalidation
   * answers queued behind them), and early messages to destinations that have nothing
   * queued before them (neither here nor, `blockedTo`, in the batch in flight).
   */
  takeNow(durableBelow: bigint | null, blockedTo: ReadonlySet<number>, mayApply: boolean): { apply: ApplyItem[]; send: Outgoing[] } {
    let limit = this.firstAppended;
    if (durableBelow !== null && (limit === null || durableBelow < limit)) limit = durableBelow;
    if (this.applyBeforeDurable) limit = null;
    let n = 0;
    if (mayApply) {
      for (const a of this.apply) {
        if (a.kind === 'restore') break;
        if (a.kind === 'txn' && limit !== null && a.entry.zxid >= limit) break;
        n++;
      }
    }
    const apply = n === 0 ? [] : this.apply.splice(0, n);
    const send: Outgoing[] = [];
    const keep: Outgoing[] = [];
    const held = new Set(blockedTo);
    for (const o of this.send) {
      if (o.unordered || (o.early && !held.has(o.to))) send.push(o);
      else {
        held.add(o.to);
        keep.push(o);
      }
    }
    if (send.length > 0) this.send = keep;
    return { apply, send };
  }

  take(): Ready {
    const now = this.applyNowCount();
    const r: Ready = {
      persist: this.persist,
      send: this.send,
      applyNow: now === 0 ? [] : this.apply.slice(0, now),
      apply: now === 0 ? this.apply : this.apply.slice(now),
      events: this.events,
      serving: this.serving,
      role: this.role,
    };
    this.persist = [];
    this.send = [];
    this.apply = [];
    this.events = [];
    this.serving = null;
    this.role = null;
    this.firstAppended = null;
    return r;
  }
}
