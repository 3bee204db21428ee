/**
 * Drives a ZkServer + StandaloneReplication without sockets: fake channels capture
 * frames, a manual TxnLog decides when appends become durable, manual timers drive
 * expiry. The pure-core parts are small fakes (enough for handshake and ordering tests;
 * the real prep/watches/sessions are tested by their owners and in test/member).
 */
import { OutputBuffer } from '../../../engine/src/server/output-buffer.js';
import { PauseReason, type ChannelHandler, type ClientChannel } from '../../../engine/src/server/client-channel.js';
import { ZkServer } from '../../../engine/src/server/zk-server.js';
import { StandaloneReplication } from '../../../engine/src/server/standalone-replication.js';
import { ManualTimers } from '../../../engine/src/server/timers.js';
import { SILENT_LOGGER } from '../../../engine/src/server/log.js';
import type { SessionTracking, TxnPreparer, WatchDelivery, WatchTable } from '../../../engine/src/server/server-deps.js';
import type { ClientConnection } from '../../../engine/src/server/client-connection.js';
import type { WriteRequest } from '../../../engine/src/server/replication.js';
import { parseZooCfg } from '../../../engine/src/config/parse-zoo-cfg.js';
import type { ServerConfig } from '../../../engine/src/config/server-config.js';
import { ZkDatabase } from '../../../engine/src/tree/zk-database.js';
import type { TxnEntry } from '../../../engine/src/tree/txn.js';
import type { TxnLog } from '../../../engine/src/storage/contracts.js';
import { CreateRequest, SetDataRequest, ConnectRequest, JuteWriter, OpCode, Err, EventType } from '../../../engine/src/jute/index.js';
import type { WatchTrigger } from '../../../engine/src/tree/types.js';

export class FakeChannel implements ClientChannel {
  readonly out = new OutputBuffer();
  isClosed = false;
  closeReason: string | null = null;
  paused = 0;
  private received: Buffer[] = [];
  handler: ChannelHandler | null = null;

  constructor(
    readonly remoteIp = '127.0.0.1',
    readonly remote = `/${remoteIp}:40000`,
  ) {}

  flushSoon(): void {
    const b = this.out.take();
    if (b) this.received.push(Buffer.from(b));
  }
  close(reason: string): void {
    if (this.isClosed) return;
    this.flushSoon();
    this.isClosed = true;
    this.closeReason = reason;
    this.handler?.closed();
  }
  pause(r: PauseReason): void {
    this.paused |= r;
  }
  resume(r: PauseReason): void {
    this.paused &= ~r;
  }
  interestOps(): number {
    return this.paused === 0 ? 1 : 0;
  }
  /** Sends one frame payload to the server. */
  send(payload: Buffer): void {
    this.handler!.frame(payload);
  }
  /** Frames the server wrote since the last call (payloads, without length). */
  frames(): Buffer[] {
    this.flushSoon();
    const all = Buffer.concat(this.received);
    this.received = [];
    const out: Buffer[] = [];
    for (let at = 0; at < all.length; ) {
      const n = all.readInt32BE(at);
      out.push(all.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    return out;
  }
}

/** A TxnLog whose appends become durable only when the test says so. */
export class ManualLog implements TxnLog {
  private pending: { entries: readonly TxnEntry[]; resolve: () => void }[] = [];
  readonly durable: TxnEntry[] = [];
  append(entries: readonly TxnEntry[]): Promise<void> {
    return new Promise((resolve) => this.pending.push({ entries, resolve }));
  }
  /** Makes every pending append durable, in order. */
  flush(): number {
    const p = this.pending;
    this.pending = [];
    for (const { entries, resolve } of p) {
      this.durable.push(...entries);
      resolve();
    }
    return p.length;
  }
  get pendingAppends(): number {
    return this.pending.length;
  }
  read(): TxnEntry[] {
    return [...this.durable];
  }
  async truncateAfter(): Promise<void> {}
  lastZxid(): bigint {
    return this.durable.at(-1)?.zxid ?? 0n;
  }
  firstZxid(): bigint {
    return this.durable[0]?.zxid ?? 0n;
  }
}

/** Enough prep for these tests: create, setData, closeSession; everything else → Unimplemented error txn. */
export class FakePrep implements TxnPreparer {
  committedZxids: bigint[] = [];
  prepare(req: WriteRequest, zxid: bigint, time: number): TxnEntry {
    const head = { zxid, sessionId: req.sessionId, cxid: req.cxid, time };
    try {
      if (req.op === OpCode.create || req.op === OpCode.create2) {
        const r = CreateRequest.decode(req.body);
        return { ...head, txn: { op: OpCode.create, path: r.path, data: r.data, acl: r.acl, ephemeralOwner: 0n } };
      }
      if (req.op === OpCode.setData) {
        const r = SetDataRequest.decode(req.body);
        return { ...head, txn: { op: OpCode.setData, path: r.path, data: r.data, version: 1 } };
      }
      if (req.op === OpCode.closeSession) return { ...head, txn: { op: OpCode.closeSession } };
    } catch {
      return { ...head, txn: { op: OpCode.error, err: Err.MarshallingError } };
    }
    return { ...head, txn: { op: OpCode.error, err: Err.Unimplemented } };
  }
  createSession(sessionId: bigint, timeout: number, passwd: Buffer, zxid: bigint, time: number): TxnEntry {
    return { zxid, sessionId, cxid: 0, time, txn: { op: OpCode.createSession, timeout, passwd } };
  }
  closeSession(sessionId: bigint, zxid: bigint, time: number): TxnEntry {
    return { zxid, sessionId, cxid: 0, time, txn: { op: OpCode.closeSession } };
  }
  reapDelete(path: string, zxid: bigint, time: number): TxnEntry {
    return { zxid, sessionId: 0n, cxid: 0, time, txn: { op: OpCode.delete, path } };
  }
  committed(zxid: bigint): void {
    this.committedZxids.push(zxid);
  }
}

/** Data watches only (one-shot), enough to check notification ordering. */
export class FakeWatches implements WatchTable<ClientConnection> {
  private data = new Map<string, Set<ClientConnection>>();
  addDataWatch(path: string, w: ClientConnection): void {
    const s = this.data.get(path) ?? new Set();
    s.add(w);
    this.data.set(path, s);
  }
  addChildWatch(): void {}
  addPersistentWatch(): void {}
  trigger(triggers: readonly WatchTrigger[]): WatchDelivery<ClientConnection>[] {
    const out: WatchDelivery<ClientConnection>[] = [];
    for (const t of triggers) {
      if (t.type === EventType.NodeChildrenChanged) continue;
      const s = this.data.get(t.path);
      if (!s) continue;
      this.data.delete(t.path);
      for (const w of s) out.push({ watcher: w, type: t.type, path: t.path });
    }
    return out;
  }
  setWatches(): WatchDelivery<ClientConnection>[] {
    return [];
  }
  hasWatch(path: string, w: ClientConnection): boolean {
    return this.data.get(path)?.has(w) ?? false;
  }
  removeWatches(path: string, w: ClientConnection): boolean {
    return this.data.get(path)?.delete(w) ?? false;
  }
  removeWatcher(w: ClientConnection): void {
    for (const s of this.data.values()) s.delete(w);
  }
  watchCount(): number {
    let n = 0;
    for (const s of this.data.values()) n += s.size;
    return n;
  }
  dataWatchPaths(): Map<string, ClientConnection[]> {
    return new Map([...this.data].map(([p, s]) => [p, [...s]]));
  }
}

/** Deadline-per-session tracker (the real one buckets by tick; not needed here). */
export class FakeSessions implements SessionTracking {
  readonly deadlines = new Map<bigint, { at: number; timeout: number; closing: boolean }>();
  add(id: bigint, timeout: number, now: number): void {
    this.deadlines.set(id, { at: now + timeout, timeout, closing: false });
  }
  touch(id: bigint, now: number, timeout?: number): boolean {
    const s = this.deadlines.get(id);
    if (!s || s.closing) return false;
    if (timeout !== undefined) s.timeout = timeout;
    s.at = now + s.timeout;
    return true;
  }
  setClosing(id: bigint): void {
    const s = this.deadlines.get(id);
    if (s) s.closing = true;
  }
  remove(id: bigint): void {
    this.deadlines.delete(id);
  }
  expire(now: number): bigint[] {
    const out: bigint[] = [];
    for (const [id, s] of this.deadlines) {
      if (!s.closing && s.at <= now) {
        s.closing = true;
        out.push(id);
      }
    }
    return out;
  }
  buckets() {
    return [];
  }
}

export interface Harness {
  server: ZkServer;
  replication: StandaloneReplication;
  db: ZkDatabase;
  log: ManualLog;
  timers: ManualTimers;
  sessions: FakeSessions;
  config: ServerConfig;
  connect(ip?: string): FakeChannel;
  /** Lets the replication hand its batch to the log (one event-loop turn). */
  turn(): Promise<void>;
  /** Makes pending appends durable and lets them apply. */
  commit(): Promise<void>;
}

let nextSessionId = 0x0100000000010000n;

export function harness(cfg = ''): Harness {
  const config = parseZooCfg(`tickTime=2000\ndataDir=/unused\nclientPort=0\n${cfg}`);
  const db = new ZkDatabase();
  const log = new ManualLog();
  const timers = new ManualTimers();
  const sessions = new FakeSessions();
  const replication = new StandaloneReplication({
    db,
    log,
    prep: new FakePrep(),
    sessions,
    timers,
    tickTime: config.tickTime,
    logger: SILENT_LOGGER,
    onFatal: (e) => {
      throw e;
    },
  });
  const server = new ZkServer({
    config,
    db,
    replication,
    watches: new FakeWatches(),
    acl: { check: () => true, digestId: (s) => s },
    newSessionId: () => nextSessionId++,
    negotiateTimeout: (t) => Math.min(Math.max(t, config.minSessionTimeout), config.maxSessionTimeout),
    log: SILENT_LOGGER,
    newPassword: () => Buffer.alloc(16, 7),
  });
  replication.start(server);
  const turn = () => new Promise<void>((r) => setImmediate(r));
  return {
    server,
    replication,
    db,
    log,
    timers,
    sessions,
    config,
    connect(ip = '127.0.0.1') {
      const ch = new FakeChannel(ip);
      ch.handler = server.attach(ch);
      return ch;
    },
    turn,
    async commit() {
      await turn();
      log.flush();
      await turn();
    },
  };
}

// ---------------------------------------------------------------- frame builders

export function connectRequest(o: { lastZxidSeen?: bigint; timeOut?: number; sessionId?: bigint; passwd?: Buffer; readOnly?: boolean } = {}): Buffer {
  return ConnectRequest.encode({
    protocolVersion: 0,
    lastZxidSeen: o.lastZxidSeen ?? 0n,
    timeOut: o.timeOut ?? 30000,
    sessionId: o.sessionId ?? 0n,
    passwd: o.passwd ?? Buffer.alloc(16),
    readOnly: 'readOnly' in o ? o.readOnly : false,
  });
}

export function request(xid: number, op: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([new JuteWriter(8).int(xid).int(op).toBuffer(), body]);
}

export function createBody(path: string, data = 'x'): Buffer {
  return CreateRequest.encode({ path, data: Buffer.from(data), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 });
}

export function pathWatchBody(path: string, watch: boolean): Buffer {
  return new JuteWriter(32).ustring(path).bool(watch).toBuffer();
}

/** ReplyHeader of a reply frame. */
export function header(frame: Buffer): { xid: number; zxid: bigint; err: number } {
  return { xid: frame.readInt32BE(0), zxid: frame.readBigInt64BE(4), err: frame.readInt32BE(12) };
}
