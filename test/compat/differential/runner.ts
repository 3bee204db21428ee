/**
 * Runs a generated operation sequence against one live server with the raw client and
 * records what every connection observed, step by step, in arrival order. Nothing is
 * normalized here (normalize.ts does that); this file only does I/O.
 *
 * Determinism: steps run one at a time. After each step, a ping on every open
 * connection acts as a barrier: a notification caused by the step is queued on its
 * connection before the step's reply is sent, so it arrives before the ping's reply
 * (wire-protocol.md §12.3). Barrier pings are not part of the record.
 */
import { ConnectionClosedError, RawZkClient, type Arrival, type HandshakeOptions } from '../../helpers/raw-client.js';
import * as zk from '../../helpers/raw-ops.js';
import { Err, OpCode, Perms, JuteWriter, type ACL } from '../../../engine/src/jute/index.js';

/** How long a server may take to close a connection it announced it would close. */
const ANNOUNCED_CLOSE_WAIT_MS = 2000;
import type { MultiOp } from '../../helpers/raw-multi.js';
import type { AclSpec, DataSpec, GenOp, MultiSpec } from './ops.js';
import { describe } from './ops.js';

export type Obs =
  | { slot: number; kind: 'reply'; op: number; xid: number; zxid: bigint; err: number; inOrder: boolean; value?: unknown; decodeError?: string }
  | { slot: number; kind: 'event'; zxid: bigint; type: number; state: number; path: string }
  /** The server closed this connection. */
  | { slot: number; kind: 'closed' }
  | { slot: number; kind: 'connected'; how: string; sessionId: bigint; timeOut: number; readOnly: boolean | undefined; passwdLength: number }
  /** The server closed the connection instead of answering the ConnectRequest. */
  | { slot: number; kind: 'refused'; how: string }
  /** A request could not be sent or answered because the connection was gone. */
  | { slot: number; kind: 'failed'; what: string }
  | { slot: number; kind: 'unmatched'; xid: number; err: number }
  | { slot: number; kind: 'garbled'; reason: string };

export interface Step {
  label: string;
  obs: Obs[];
}

export interface RawTranscript {
  steps: Step[];
  /** The zxid after slot 0's session was created: zxids are rendered relative to it. */
  baseZxid: bigint;
  startMs: number;
  endMs: number;
}

const ALICE = zk.digestId('alice', 'secret');
const BOB = zk.digestId('bob', 'pw');

export function aclFor(spec: AclSpec): ACL[] {
  const id = (scheme: string, i: string) => ({ scheme, id: i });
  switch (spec) {
    case 'open':
      return zk.OPEN_ACL;
    case 'read':
      return zk.READ_ACL;
    case 'digestAlice':
      return [{ perms: Perms.ALL, id: id('digest', ALICE) }, { perms: Perms.READ, id: id('world', 'anyone') }];
    case 'digestBobRead':
      return [{ perms: Perms.READ | Perms.WRITE, id: id('digest', BOB) }, { perms: Perms.CREATE | Perms.DELETE, id: id('world', 'anyone') }];
    case 'authAll':
      return [{ perms: Perms.ALL, id: id('auth', '') }];
    case 'ip':
      return [{ perms: Perms.ALL, id: id('ip', '127.0.0.1') }];
    case 'empty':
      return [];
    case 'badWorld':
      return [{ perms: Perms.ALL, id: id('world', 'someone') }];
    case 'badIp':
      return [{ perms: Perms.ALL, id: id('ip', '300.1.2.3/99') }];
    case 'unknownScheme':
      return [{ perms: Perms.ALL, id: id('foo', 'bar') }];
    case 'noColonDigest':
      return [{ perms: Perms.ALL, id: id('digest', 'alice') }];
  }
}

const dataFor = (d: DataSpec): Buffer | null => (d === null ? null : Buffer.from(d, 'utf8'));

function multiOps(specs: MultiSpec[]): MultiOp[] {
  return specs.map((m): MultiOp => {
    if (m.op === 'create') return { op: 'create', path: m.path, data: dataFor(m.data), acl: aclFor(m.acl), flags: m.flags, type: m.type, ...(m.ttl !== undefined ? { ttl: m.ttl } : {}) };
    if (m.op === 'setData') return { op: 'setData', path: m.path, data: dataFor(m.data), version: m.version };
    return m;
  });
}

interface Slot {
  client: RawZkClient;
  sessionId: bigint;
  passwd: Buffer;
  /** Index into client.arrivals up to which observations were recorded. */
  mark: number;
  closedSessions: { id: bigint; passwd: Buffer }[];
}

/** Values decoded by raw-ops, keyed by the reply arrival they came from. */
type Decoded = Map<object, { value: unknown; decodeError?: string }>;

export class SequenceRunner {
  private readonly slots: Slot[] = [];
  private readonly decoded: Decoded = new Map();
  private readonly steps: Step[] = [];
  private sideObs: Obs[] = [];

  constructor(
    private readonly port: number,
    private readonly base: string,
    private readonly slotCount: number,
  ) {}

  async run(ops: GenOp[]): Promise<RawTranscript> {
    const startMs = Date.now();
    let baseZxid = 0n;
    try {
      const setup: Obs[] = [];
      for (let i = 0; i < this.slotCount; i++) {
        await this.openSession(i, setup, 'new');
        if (i === 0) baseZxid = (await this.slots[0].client.ping()).zxid;
      }
      await this.track(0, zk.create(this.slots[0].client, { path: this.base, data: Buffer.from('base') }));
      await this.barrier();
      this.steps.push({ label: `setup ${this.base}`, obs: [...setup, ...this.collect(0)] });
      for (let i = 0; i < ops.length; i++) {
        await this.step(ops[i]);
        this.steps.push({ label: `#${i} ${describe(ops[i])}`, obs: [...this.sideObs, ...this.collect(ops[i].slot)] });
        this.sideObs = [];
      }
      for (let i = 0; i < this.slotCount; i++) {
        await this.track(i, zk.closeSession(this.slots[i].client));
        await this.slots[i].client.whenClosed();
      }
      this.steps.push({ label: 'teardown: close every session', obs: this.collect(0) });
    } finally {
      for (const s of this.slots) s.client.destroy();
    }
    return { steps: this.steps, baseZxid, startMs, endMs: Date.now() };
  }

  /** Awaits a raw-ops call, remembering its decoded value; a vanished connection becomes a 'failed' observation. */
  private async track<T>(slot: number, p: Promise<zk.OpReply<T>>): Promise<zk.OpReply<T> | null> {
    try {
      const r = await p;
      this.decoded.set(r.raw, { value: r.value, ...(r.decodeError ? { decodeError: r.decodeError } : {}) });
      return r;
    } catch (e) {
      if (!(e instanceof ConnectionClosedError)) throw e;
      this.sideObs.push({ slot, kind: 'failed', what: e.what });
      return null;
    }
  }

  private async openSession(slot: number, into: Obs[], how: string, resume?: { lastZxidSeen: bigint; readOnly: boolean | 'omit' }): Promise<boolean> {
    const prev = this.slots[slot];
    const opts: HandshakeOptions = resume
      ? { sessionId: prev.sessionId, passwd: prev.passwd, lastZxidSeen: resume.lastZxidSeen, readOnly: resume.readOnly }
      : { timeOut: 30_000 };
    const client = await RawZkClient.dial(this.port);
    try {
      const r = await client.handshake(opts);
      into.push({ slot, kind: 'connected', how, sessionId: r.sessionId, timeOut: r.timeOut, readOnly: r.readOnly, passwdLength: r.passwd?.length ?? -1 });
      if (r.timeOut <= 0) {
        // The "session expired" answer (§4.2 step 5): the server closes; start over.
        await client.whenClosed();
        into.push({ slot, kind: 'closed' });
        if (prev) prev.closedSessions.push({ id: prev.sessionId, passwd: prev.passwd });
        return this.openSession(slot, into, 'new');
      }
      const closedSessions = prev?.closedSessions ?? [];
      this.slots[slot] = { client, sessionId: r.sessionId, passwd: r.passwd ?? Buffer.alloc(0), mark: 0, closedSessions };
      return true;
    } catch (e) {
      if (!(e instanceof ConnectionClosedError)) throw e;
      into.push({ slot, kind: 'refused', how });
      if (resume) return this.openSession(slot, into, 'new');
      throw new Error(`the server refused a new session on slot ${slot}`);
    }
  }

  private async step(op: GenOp): Promise<void> {
    const slot = this.slots[op.slot];
    if (op.k === 'burst') {
      await Promise.all(op.ops.map((o) => this.exec(o)));
    } else {
      await this.exec(op);
    }
    if (op.k === 'closeSession' && !slot.client.closed) await slot.client.whenClosed();
    await this.awaitAnnouncedClose(slot.client);
    await this.barrier();
    await this.recoverClosedConnections(op);
  }

  /**
   * Unimplemented and AuthFailed replies are followed by the server closing the
   * connection (§5, §15.3), but a request sent right after may still be answered first.
   * Wait (bounded) for that close so it is recorded at the same step on every server;
   * a server that does not close shows up as a difference.
   */
  private async awaitAnnouncedClose(c: RawZkClient): Promise<void> {
    const last = c.arrivals.filter((a) => a.kind === 'reply').at(-1);
    if (!last || last.kind !== 'reply' || (last.err !== Err.Unimplemented && last.err !== Err.AuthFailed) || c.closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([c.whenClosed(), new Promise((r) => (timer = setTimeout(r, ANNOUNCED_CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Pings every open connection; see the file comment. */
  private async barrier(): Promise<void> {
    await Promise.all(
      this.slots.map((s) =>
        s.client.closed ? undefined : s.client.ping().catch((e: unknown) => {
          if (!(e instanceof ConnectionClosedError)) throw e;
        }),
      ),
    );
  }

  /**
   * A connection the server closed is replaced the way a real client would: after
   * closeSession by a new session, otherwise by resuming the same session.
   */
  private async recoverClosedConnections(op: GenOp): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s.client.closed) continue;
      this.sideObs.push(...this.collectSlot(i));
      if (op.k === 'closeSession' && op.slot === i) {
        s.closedSessions.push({ id: s.sessionId, passwd: s.passwd });
        await this.openSession(i, this.sideObs, 'new');
      } else {
        await this.openSession(i, this.sideObs, 'resume', { lastZxidSeen: s.client.lastZxid, readOnly: false });
      }
    }
  }

  /** Observations of one slot since its last collect, barrier pings left out. */
  private collectSlot(i: number): Obs[] {
    const s = this.slots[i];
    const fresh = s.client.arrivals.slice(s.mark);
    s.mark = s.client.arrivals.length;
    return fresh.map((a) => this.toObs(i, a)).filter((o): o is Obs => o !== null);
  }

  /** The acting slot's observations first, then every other slot's. */
  private collect(actingSlot: number): Obs[] {
    const order = [actingSlot, ...this.slots.map((_, i) => i).filter((i) => i !== actingSlot)];
    return order.flatMap((i) => this.collectSlot(i));
  }

  private toObs(slot: number, a: Arrival): Obs | null {
    switch (a.kind) {
      case 'reply': {
        if (a.op === OpCode.ping) return null;
        const d = this.decoded.get(a);
        return { slot, kind: 'reply', op: a.op, xid: a.xid, zxid: a.zxid, err: a.err, inOrder: a.inOrder, ...(d ? d : {}) };
      }
      case 'event':
        return { slot, kind: 'event', zxid: a.zxid, type: a.type, state: a.state, path: a.path };
      case 'closed':
        return { slot, kind: 'closed' };
      case 'unmatched':
        return { slot, kind: 'unmatched', xid: a.xid, err: a.err };
      case 'garbled':
        return { slot, kind: 'garbled', reason: a.reason };
    }
  }

  private async exec(op: GenOp): Promise<void> {
    const slot = this.slots[op.slot];
    const c = slot.client;
    const t = <T>(p: Promise<zk.OpReply<T>>) => this.track(op.slot, p);
    switch (op.k) {
      case 'create':
        await t(zk.create(c, { path: op.path, data: dataFor(op.data), acl: aclFor(op.acl), flags: op.flags, op: op.opcode, ...(op.ttl !== undefined ? { ttl: op.ttl } : {}) }));
        return;
      case 'delete':
        await t(zk.del(c, op.path, op.version));
        return;
      case 'setData':
        await t(zk.setData(c, op.path, dataFor(op.data), op.version));
        return;
      case 'exists':
        await t(zk.exists(c, op.path, op.watch));
        return;
      case 'getData':
        await t(zk.getData(c, op.path, op.watch));
        return;
      case 'getChildren':
        await t(zk.getChildren(c, op.path, op.watch));
        return;
      case 'getChildren2':
        await t(zk.getChildren2(c, op.path, op.watch));
        return;
      case 'getACL':
        await t(zk.getACL(c, op.path));
        return;
      case 'setACL':
        await t(zk.setACL(c, op.path, aclFor(op.acl), op.version));
        return;
      case 'addWatch':
        await t(zk.addWatch(c, op.path, op.mode));
        return;
      case 'removeWatches':
        await t(zk.removeWatches(c, op.path, op.type));
        return;
      case 'checkWatches':
        await t(zk.checkWatches(c, op.path, op.type));
        return;
      case 'multi':
        await t(zk.multi(c, multiOps(op.ops)));
        return;
      case 'multiRead':
        await t(zk.multiRead(c, multiOps(op.ops)));
        return;
      case 'getEphemerals':
        await t(zk.getEphemerals(c, op.prefix));
        return;
      case 'getAllChildrenNumber':
        await t(zk.getAllChildrenNumber(c, op.path));
        return;
      case 'sync':
        await t(zk.sync(c, op.path));
        return;
      case 'auth':
        await t(zk.auth(c, op.scheme, op.credentials));
        return;
      case 'whoAmI':
        await t(zk.whoAmI(c));
        return;
      case 'closeSession':
        await t(zk.closeSession(c));
        return;
      case 'reconnect':
        return this.reconnect(op);
      case 'resumeClosed':
        return this.sideConnect(op.slot, 'resume-closed', () => {
          const closed = slot.closedSessions[slot.closedSessions.length - 1];
          return { sessionId: closed.id, passwd: closed.passwd, lastZxidSeen: c.lastZxid };
        });
      case 'connectAhead':
        return this.sideConnect(op.slot, 'zxid-ahead', () => ({ lastZxidSeen: c.lastZxid + 1000n }));
      case 'truncated':
        await t(c.request(op.opcode, truncatedBody(op.path, op.keepBytes)).then((raw) => ({ err: raw.err, zxid: raw.zxid, value: null, raw })));
        return;
      case 'unknownOpcode':
        await t(c.request(op.opcode).then((raw) => ({ err: raw.err, zxid: raw.zxid, value: null, raw })));
        return;
      case 'burst':
        throw new Error('nested burst');
    }
  }

  private async reconnect(op: Extract<GenOp, { k: 'reconnect' }>): Promise<void> {
    const s = this.slots[op.slot];
    const lastZxid = s.client.lastZxid;
    // Whatever the old connection received before we dropped it is part of the record.
    this.sideObs.push(...this.collectSlot(op.slot));
    s.client.destroy();
    const ok = await this.openSession(op.slot, this.sideObs, 'resume', { lastZxidSeen: lastZxid, readOnly: op.readOnly });
    if (!ok) return;
    await this.track(op.slot, zk.setWatches(this.slots[op.slot].client, op.relativeZxid === 'last' ? lastZxid : 0n, op.watches));
  }

  /** A short-lived extra connection; what it sees is recorded on the slot's line. */
  private async sideConnect(slot: number, how: string, opts: () => HandshakeOptions): Promise<void> {
    const c = await RawZkClient.dial(this.port);
    try {
      const r = await c.handshake(opts());
      this.sideObs.push({ slot, kind: 'connected', how, sessionId: r.sessionId, timeOut: r.timeOut, readOnly: r.readOnly, passwdLength: r.passwd?.length ?? -1 });
      if (r.timeOut <= 0) {
        await c.whenClosed();
        this.sideObs.push({ slot, kind: 'closed' });
      }
    } catch (e) {
      if (!(e instanceof ConnectionClosedError)) throw e;
      this.sideObs.push({ slot, kind: 'refused', how });
    } finally {
      c.destroy();
    }
  }
}

/** A request body that starts like a real one (a path) and is then cut short. */
function truncatedBody(path: string, keepBytes: number): Buffer {
  const w = new JuteWriter(64);
  w.ustring(path);
  const full = w.toBuffer();
  return Buffer.from(full.subarray(0, Math.min(keepBytes, full.length - 1)));
}

export function runSequence(port: number, base: string, ops: GenOp[], slots: number): Promise<RawTranscript> {
  return new SequenceRunner(port, base, slots).run(ops);
}
