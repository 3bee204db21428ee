/**
 * A simulated ZooKeeper client: one session, one operation at a time (so per-session
 * FIFO holds by construction), attached to one member. It connects with a new session
 * (createSession through the member's core) or moves its session to another member
 * (REVALIDATE), refuses members whose database is behind what it has seen (the
 * handshake's CLIENT_ZXID_AHEAD rule, zab.md §5), pings so its session stays alive, and
 * records every operation in the history the checkers read.
 */
import { CreateRequest, DeleteRequest, OpCode, SetDataRequest } from '../../engine/src/jute/index.js';
import type { ClientRequest } from '../../engine/src/quorum/contracts.js';
import type { SeededPrng } from '../../engine/src/quorum/prng.js';
import { encodeCreateSessionBody } from '../../engine/src/server/prep/index.js';
import type { OpResult } from '../../engine/src/tree/types.js';
import { OPEN_ACL } from '../../engine/src/tree/data-tree.js';
import type { HistoryOp, KeyOp, KeyResult } from './history.js';
import type { SimMember } from './sim-member.js';

export interface ClientOptions {
  keys: number;
  /** Probability that a read is preceded by a sync (zab.md §4.5). */
  syncP: number;
  sessionTimeoutMs: number;
  /** Probability of starting an operation on an idle tick. */
  opP: number;
  readP: number;
  ephemeralP: number;
  /** Ticks before an unanswered operation counts as lost. */
  opTimeout: number;
  pingEvery: number;
  /** Connect to members behind what the client has seen (the staleReads bug switch's handshake). */
  acceptStaleMembers?: boolean;
}

export interface ClientWorld {
  now: number;
  /** The next logical time for histories. */
  clock(): number;
  members(): SimMember[];
  record(op: HistoryOp): void;
  newSessionId(sid: number): bigint;
}

type State =
  | { kind: 'disconnected'; retryAt: number }
  | { kind: 'connecting'; member: SimMember; since: number; how: 'create' | 'revalidate' }
  | { kind: 'connected'; member: SimMember; lastPing: number };

interface Pending {
  cxid: number;
  since: number;
  record: HistoryOp | null;
  /** A sync in flight: read this key when it completes. */
  syncThenRead?: string;
  syncCall?: number;
}

export class SimClient {
  private state: State = { kind: 'disconnected', retryAt: 0 };
  sessionId: bigint | null = null;
  private readonly passwd: Buffer;
  private cxid = 0;
  private pending: Pending | null = null;
  private lastZxidSeen = 0n;
  private counter = 0;
  /** Ops completed, for liveness checks. */
  completed = 0;

  constructor(
    readonly id: number,
    private readonly opts: ClientOptions,
    private readonly prng: SeededPrng,
    private readonly world: ClientWorld,
  ) {
    this.passwd = Buffer.from(`pw-${id}`.padEnd(16, '.'));
  }

  get member(): SimMember | null {
    return this.state.kind === 'disconnected' ? null : this.state.member;
  }

  get connected(): boolean {
    return this.state.kind === 'connected';
  }

  tick(): void {
    const now = this.world.now;
    const s = this.state;
    if (s.kind === 'disconnected') {
      if (now >= s.retryAt) this.connect();
      return;
    }
    if (!s.member.up || (s.member.serving !== 'rw' && s.kind === 'connected')) return this.disconnect('member gone');
    if (s.kind === 'connecting') {
      if (now - s.since > this.opts.opTimeout) this.disconnect('connect timed out');
      return;
    }
    if (now - s.lastPing >= this.opts.pingEvery) {
      s.member.core!.touch(this.sessionId!, this.opts.sessionTimeoutMs);
      s.lastPing = now;
    }
    if (this.pending) {
      if (now - this.pending.since > this.opts.opTimeout) this.disconnect('operation timed out');
      return;
    }
    if (this.prng.chance(this.opts.opP)) this.startOp(s.member);
  }

  private connect(): void {
    const candidates = this.world.members().filter((m) => m.up && m.serving === 'rw');
    if (candidates.length === 0) return this.retryLater();
    const m = this.prng.pick(candidates);
    // The server refuses a client from its future (unless the staleReads bug switch is on).
    if (m.db.lastZxid < this.lastZxidSeen && !this.opts.acceptStaleMembers) return this.retryLater();
    const core = m.core!;
    if (this.sessionId === null) {
      const id = this.world.newSessionId(m.sid);
      const body = encodeCreateSessionBody(this.opts.sessionTimeoutMs, this.passwd);
      if (!core.submit({ sessionId: id, cxid: 0, op: OpCode.createSession, body, authIds: [] })) return this.retryLater();
      this.sessionId = id;
      this.state = { kind: 'connecting', member: m, since: this.world.now, how: 'create' };
    } else {
      if (!core.revalidate(this.sessionId, this.opts.sessionTimeoutMs)) return this.retryLater();
      this.state = { kind: 'connecting', member: m, since: this.world.now, how: 'revalidate' };
    }
  }

  private retryLater(): void {
    this.state = { kind: 'disconnected', retryAt: this.world.now + 1 + this.prng.int(10) };
  }

  /** Connection lost: an operation in flight has an unknown outcome. */
  disconnect(_why: string): void {
    if (this.pending?.record) this.world.record(this.pending.record);
    this.pending = null;
    if (this.state.kind === 'connecting' && this.state.how === 'create') {
      // The createSession may or may not commit; if it did, the session simply expires.
      this.sessionId = null;
    }
    this.retryLater();
  }

  private startOp(m: SimMember): void {
    const key = `/k${this.prng.int(this.opts.keys)}`;
    if (this.prng.chance(this.opts.readP)) {
      if (this.prng.chance(this.opts.syncP)) {
        if (!m.core!.sync(this.sessionId!)) return this.disconnect('not serving');
        this.pending = { cxid: -1, since: this.world.now, record: null, syncThenRead: key, syncCall: this.world.clock() };
        return;
      }
      this.read(m, key, this.world.clock());
      return;
    }
    this.write(m, key);
  }

  private read(m: SimMember, key: string, call: number, syncedAt?: number): void {
    const got = m.db.tree.getData(key);
    const result: KeyResult = got ? { err: 0, value: got.data?.toString() ?? '', version: got.stat.version } : { err: -101 };
    const zxid = m.db.lastZxid;
    this.seen(zxid);
    this.world.record({ client: this.id, op: { kind: 'read', key }, call, ret: this.world.clock(), result, zxid, ...(syncedAt !== undefined ? { syncedAt } : {}) });
    this.completed++;
  }

  private write(m: SimMember, key: string): void {
    const call = this.world.clock();
    const value = `c${this.id}-${++this.counter}`;
    const cxid = ++this.cxid;
    const ephemeral = this.prng.chance(this.opts.ephemeralP);
    let op: KeyOp | null;
    let req: ClientRequest;
    if (ephemeral) {
      op = null;
      const body = CreateRequest.encode({ path: `/e${this.id}-${this.counter}`, data: Buffer.from(value), acl: [...OPEN_ACL], flags: 1 });
      req = { sessionId: this.sessionId!, cxid, op: OpCode.create, body, authIds: [] };
    } else {
      const r = this.prng.int(3);
      op = r === 0 ? { kind: 'create', key, value } : r === 1 ? { kind: 'set', key, value } : { kind: 'delete', key };
      req = { sessionId: this.sessionId!, cxid, op: 0, body: Buffer.alloc(0), authIds: [] };
      if (op.kind === 'create') req = { ...req, op: OpCode.create, body: CreateRequest.encode({ path: key, data: Buffer.from(value), acl: [...OPEN_ACL], flags: 0 }) };
      else if (op.kind === 'set') req = { ...req, op: OpCode.setData, body: SetDataRequest.encode({ path: key, data: Buffer.from(value), version: -1 }) };
      else req = { ...req, op: OpCode.delete, body: DeleteRequest.encode({ path: key, version: -1 }) };
    }
    const record: HistoryOp | null = op ? { client: this.id, op, call, ret: null, result: null, zxid: null } : null;
    if (!m.core!.submit(req)) {
      if (record) this.world.record(record);
      return this.disconnect('not serving');
    }
    this.pending = { cxid, since: this.world.now, record };
  }

  private seen(zxid: bigint): void {
    if (zxid > this.lastZxidSeen) this.lastZxidSeen = zxid;
  }

  // ---- what the client's member reports --------------------------------------------------

  /** A txn of this session was applied on the member this client is attached to. */
  onApplied(m: SimMember, zxid: bigint, cxid: number, result: OpResult): void {
    const s = this.state;
    if (s.kind === 'disconnected' || s.member !== m) return;
    if (result.op === 'closeSession') {
      // Our session was closed (expired): the server drops the connection.
      this.sessionId = null;
      if (this.pending?.record) this.world.record(this.pending.record);
      this.pending = null;
      return this.retryLater();
    }
    if (s.kind === 'connecting' && result.op === 'createSession') {
      this.seen(zxid);
      this.state = { kind: 'connected', member: m, lastPing: this.world.now };
      return;
    }
    if (s.kind !== 'connected' || !this.pending || this.pending.cxid !== cxid) return;
    this.seen(zxid);
    const rec = this.pending.record;
    if (rec) {
      rec.ret = this.world.clock();
      rec.zxid = zxid;
      rec.result = { err: result.op === 'error' ? result.err : 0 };
      this.world.record(rec);
    }
    this.pending = null;
    this.completed++;
  }

  /** The member says a sync of ours completed: everything before it is applied here. */
  onSynced(m: SimMember, sessionId: bigint): void {
    const s = this.state;
    if (s.kind !== 'connected' || s.member !== m || sessionId !== this.sessionId || this.pending?.syncThenRead === undefined) return;
    const key = this.pending.syncThenRead;
    const syncedAt = this.pending.syncCall!;
    this.pending = null;
    this.read(m, key, this.world.clock(), syncedAt);
  }

  onRevalidated(m: SimMember, sessionId: bigint, valid: boolean): void {
    const s = this.state;
    if (s.kind !== 'connecting' || s.member !== m || s.how !== 'revalidate' || sessionId !== this.sessionId) return;
    if (!valid) {
      this.sessionId = null; // expired: the next connect makes a new session
      return this.retryLater();
    }
    this.state = { kind: 'connected', member: m, lastPing: this.world.now };
  }
}
