/**
 * The client-facing server: handshakes, request dispatch, per-session ordering, replies
 * and watch notifications for every client connection of this member. It is the
 * `ReplicationHost` of replication.ts: writes go out through the Replication and come
 * back as applied txns, which fire watches and complete the requests waiting for them.
 *
 * No sockets here: connections arrive as ClientChannels (connection.ts for real ones),
 * and the clock is injected, so tests can drive it frame by frame.
 */
import { Err } from '../jute/error-codes.js';
import { OpCode, opName } from '../jute/opcodes.js';
import { AuthPacket, SyncRequest } from '../jute/records.js';
import type { ACL } from '../jute/records.js';
import { ProtocolError } from '../jute/errors.js';
import type { TxnEntry } from '../tree/txn.js';
import type { ApplyResult } from '../tree/types.js';
import type { ZkDatabase } from '../tree/zk-database.js';
import { NO_EVENTS, type MemberRole, type ProtocolEventSink } from '../quorum/protocol-events.js';
import type { ServerConfig } from '../config/server-config.js';
import { PauseReason, type ChannelHandler, type ClientChannel } from './client-channel.js';
import { ClientConnection, type OrderedOutcome } from './client-connection.js';
import { SessionHandshakes } from './session-handshakes.js';
import { OP_TABLE } from './op-table.js';
import { Pending, type PendingRequest } from './request-queue.js';
import { runLocalRequest, type LocalContext } from './local-requests.js';
import { writeAppliedReply } from './write-replies.js';
import { beginReply, writeHeaderOnly, writeNotification } from './replies.js';
import { addAuthIds, authenticate } from './auth.js';
import type { Replication, ReplicationHost } from './replication.js';
import type { AclRules, WatchTable } from './server-deps.js';
import { ServerStats } from './server-stats.js';
import type { Logger } from './log.js';
import { Perms } from '../jute/constants.js';

export interface ServerClock {
  /** Wall-clock ms (session `est`, dump dates). */
  wallMs(): number;
  /** Monotonic ms (latencies, `lresp`). */
  monotonicMs(): number;
}

export const SYSTEM_CLOCK: ServerClock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

export interface ZkServerOptions {
  config: ServerConfig;
  db: ZkDatabase;
  replication: Replication;
  watches: WatchTable<ClientConnection>;
  acl: AclRules;
  /** A fresh session id (sessions/, §13.1). */
  newSessionId(): bigint;
  /** Clamps a requested timeout to the configured bounds (§4.2 step 3). */
  negotiateTimeout(requested: number): number;
  log: Logger;
  events?: ProtocolEventSink;
  clock?: ServerClock;
  /** A session password (16 bytes); random by default. */
  newPassword?: () => Buffer;
  /** Told when the replication replaced the database (the member follows it). */
  onDatabaseReplaced?: (db: ZkDatabase) => void;
}

/** Pause reading a connection with more requests than this waiting for replies. */
const BACKLOG_HIGH = 1000;
const BACKLOG_LOW = 500;

export class ZkServer implements ReplicationHost {
  readonly stats = new ServerStats();
  private db: ZkDatabase;
  private readonly connections = new Set<ClientConnection>();
  /** The connection currently owning each session. */
  private readonly bySession = new Map<bigint, ClientConnection>();
  private readonly handshakes: SessionHandshakes;
  private readonly local: LocalContext<ClientConnection>;
  private readonly clock: ServerClock;
  private readonly events: ProtocolEventSink;
  private readonly log: Logger;
  private isServing: boolean;
  private role: MemberRole;
  /** Txns applied since start (mntr zk_commit_count). */
  commitCount = 0;

  constructor(private readonly opts: ZkServerOptions) {
    this.db = opts.db;
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.events = opts.events ?? NO_EVENTS;
    this.log = opts.log;
    this.local = {
      db: opts.db,
      watches: opts.watches,
      acl: opts.acl,
      skipACL: opts.config.skipACL,
      maxBuffer: opts.config.juteMaxBuffer,
    };
    this.isServing = opts.replication.serving();
    this.role = opts.replication.role;
    this.handshakes = new SessionHandshakes(
      {
        config: opts.config,
        replication: opts.replication,
        newSessionId: opts.newSessionId,
        negotiateTimeout: opts.negotiateTimeout,
        newPassword: opts.newPassword,
        wallMs: () => this.clock.wallMs(),
        log: opts.log,
      },
      this,
    );
  }

  // ------------------------------------------------------------------ state

  get database(): ZkDatabase {
    return this.db;
  }

  get serving(): boolean {
    return this.isServing;
  }

  get currentRole(): MemberRole {
    return this.role;
  }

  get readOnly(): boolean {
    return this.role === 'read-only';
  }

  /** Open client connections (handshaking or open). */
  clientConnections(): ClientConnection[] {
    return [...this.connections];
  }

  /** Requests received and not yet answered, over every connection. */
  get outstanding(): number {
    let n = 0;
    for (const c of this.connections) n += c.queue.length;
    return n;
  }

  // ------------------------------------------------------------------ connections

  /**
   * A new client connection (not a four-letter word). While the member is not serving,
   * it is closed at once: the client must try another member (§17). Four-letter words
   * are still answered (they never get here).
   */
  attach(channel: ClientChannel): ChannelHandler {
    if (!this.isServing) {
      channel.close('this member is not serving');
      return { frame() {}, closed() {} };
    }
    const conn = new ClientConnection(channel, {
      frame: (c, f) => this.onFrame(c, f),
      closed: (c) => this.onClosed(c),
    });
    this.connections.add(conn);
    return conn;
  }

  private onFrame(conn: ClientConnection, frame: Buffer): void {
    this.stats.bytesReceived += frame.length + 4;
    try {
      this.dispatchFrame(conn, frame);
    } catch (e) {
      // A bug, never bad input (that is answered): contain it to this connection.
      this.log.error(`closing connection ${conn.channel.remote} after an internal error: ${(e as Error).stack ?? e}`);
      this.close(conn, 'internal error');
    }
  }

  private dispatchFrame(conn: ClientConnection, frame: Buffer): void {
    switch (conn.state) {
      case 'open':
        return this.onRequest(conn, frame);
      case 'new':
        this.stats.packetsReceived++;
        conn.stats.received++;
        return this.handshakes.begin(conn, frame);
      case 'handshaking':
        conn.held.push(frame);
        return;
      case 'closed':
        return;
    }
  }

  private onClosed(conn: ClientConnection): void {
    this.connections.delete(conn);
    conn.queue.clear();
    this.opts.watches.removeWatcher(conn);
    this.handshakes.forget(conn);
    const sid = conn.sessionId;
    if (sid !== 0n) {
      if (this.bySession.get(sid) === conn) {
        this.bySession.delete(sid);
        this.opts.replication.connectionClosed(sid);
      }
    }
  }

  close(conn: ClientConnection, reason: string): void {
    conn.channel.close(reason);
    conn.closed();
  }

  // ------------------------------------------------------------------ handshake (§4)

  /** The session is established on `conn` (session-handshakes.ts calls this). */
  opened(conn: ClientConnection): void {
    const sid = conn.sessionId;
    // Another connection of this session is closed (§4.2 step 5).
    const previous = this.bySession.get(sid);
    if (previous !== undefined && previous !== conn) this.close(previous, `session 0x${sid.toString(16)} moved to ${conn.channel.remote}`);
    this.bySession.set(sid, conn);
    // Requests pipelined behind the ConnectRequest run now, in order.
    const held = conn.held;
    conn.held = [];
    for (const f of held) {
      if (conn.state !== 'open') return;
      this.onRequest(conn, f);
    }
    conn.channel.resume(PauseReason.Handshake);
  }

  // ------------------------------------------------------------------ requests (§5, §6)

  private onRequest(conn: ClientConnection, frame: Buffer): void {
    this.stats.packetsReceived++;
    conn.stats.received++;
    if (frame.length < 8) {
      this.log.warn(`closing connection ${conn.channel.remote}: request header needs 8 bytes, got ${frame.length}`);
      return this.close(conn, 'truncated request header');
    }
    if (conn.closing) return;
    const xid = frame.readInt32BE(0);
    const op = frame.readInt32BE(4);
    const body = frame.subarray(8);
    const now = this.clock.monotonicMs();
    // Any packet refreshes the session (§13.2).
    this.opts.replication.touch(conn.sessionId);
    const spec = OP_TABLE.get(op);
    if (spec !== undefined && spec.route !== 'local' && !(this.readOnly && spec.readOnlyRefused)) {
      return this.submitOrdered(conn, xid, op, body, now);
    }
    const req: PendingRequest<OrderedOutcome> = { kind: Pending.Local, xid, op, body, receivedAt: now, done: true, outcome: null };
    if (conn.queue.idle) this.answer(conn, req);
    else conn.queue.push(req);
    conn.channel.flushSoon();
  }

  private submitOrdered(conn: ClientConnection, xid: number, op: number, body: Buffer, now: number): void {
    const req: PendingRequest<OrderedOutcome> = { kind: Pending.Ordered, xid, op, body, receivedAt: now, done: false, outcome: null };
    if (op === OpCode.sync) {
      let path: string;
      try {
        path = SyncRequest.decode(body, this.opts.config.juteMaxBuffer).path;
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        req.kind = Pending.Local; // answered in order with MarshallingError
        if (conn.queue.idle) this.answer(conn, req);
        else conn.queue.push(req);
        return conn.channel.flushSoon();
      }
      conn.queue.push(req);
      this.opts.replication.sync(conn.sessionId, path, () => {
        if (conn.state !== 'open') return;
        if (conn.queue.complete({ syncPath: path }, (r) => r === req)) this.drain(conn);
      });
    } else {
      if (op === OpCode.closeSession) conn.closing = true;
      conn.queue.push(req);
      this.opts.replication.submit({ sessionId: conn.sessionId, cxid: xid, op, body, authIds: conn.authIds.slice() });
    }
    if (conn.queue.length > BACKLOG_HIGH) conn.channel.pause(PauseReason.Backlog);
  }

  /** Answers every request of `conn` that can be answered now, in order. */
  private drain(conn: ClientConnection): void {
    conn.queue.drain((req) => this.answer(conn, req));
    if (conn.queue.length < BACKLOG_LOW) conn.channel.resume(PauseReason.Backlog);
    conn.channel.flushSoon();
  }

  /** Writes the reply of one request; returns false when the connection closed. */
  private answer(conn: ClientConnection, req: PendingRequest<OrderedOutcome>): boolean {
    const out = conn.channel.out;
    const startBytes = out.byteLength;
    let err = 0;
    let zxid = this.db.lastZxid;
    let closeAfter: string | null = null;
    let replied = true;
    const outcome = req.outcome;
    if (req.kind === Pending.Ordered && outcome !== null) {
      if ('syncPath' in outcome) {
        beginReply(out, req.xid, zxid, 0).ustring(outcome.syncPath);
        out.end();
      } else {
        zxid = outcome.entry.zxid;
        writeAppliedReply(out, req.xid, req.op, outcome.entry, outcome.applied);
        if (outcome.applied.result.op === 'error') err = outcome.applied.result.err;
        if (req.op === OpCode.closeSession) closeAfter = 'session closed by the client';
      }
    } else {
      const r = this.answerLocal(conn, req);
      err = r.err;
      closeAfter = r.closeAfter;
      replied = r.noReply !== true;
    }
    if (replied) this.recordReply(conn, req, zxid, err, out.byteLength - startBytes);
    if (closeAfter !== null) {
      this.close(conn, closeAfter);
      return false;
    }
    return true;
  }

  private answerLocal(
    conn: ClientConnection,
    req: PendingRequest<OrderedOutcome>,
  ): { err: number; closeAfter: string | null; noReply?: boolean } {
    const out = conn.channel.out;
    const spec = OP_TABLE.get(req.op);
    if (spec === undefined) {
      // Unknown opcode: Unimplemented with zxid -1, then close; the session lives on (§5).
      writeHeaderOnly(out, req.xid, -1n, Err.Unimplemented);
      this.log.info(`closing connection ${conn.channel.remote}: unimplemented opcode ${req.op}`);
      return { err: Err.Unimplemented, closeAfter: `unimplemented opcode ${req.op}` };
    }
    if (spec.route !== 'local') {
      // A read-only member refuses writes and sync (§13.5); a malformed sync lands here too.
      const err = this.readOnly ? Err.NotReadOnly : Err.MarshallingError;
      writeHeaderOnly(out, req.xid, this.db.lastZxid, err);
      return { err, closeAfter: null };
    }
    if (req.op === OpCode.auth) return this.answerAuth(conn, req);
    const err = runLocalRequest(this.local, conn, req.op, req.xid, req.body, out);
    return { err, closeAfter: null };
  }

  /** Auth packets (§15.3): reply zxid 0; AuthFailed closes the connection. */
  private answerAuth(
    conn: ClientConnection,
    req: PendingRequest<OrderedOutcome>,
  ): { err: number; closeAfter: string | null; noReply?: boolean } {
    const out = conn.channel.out;
    let packet;
    try {
      packet = AuthPacket.decode(req.body, this.opts.config.juteMaxBuffer);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      // ZooKeeper reads auth packets outside the request pipeline and drops the
      // connection when one cannot be decoded (no reply).
      this.log.info(`closing connection ${conn.channel.remote}: undecodable auth packet: ${e.message}`);
      return { err: Err.MarshallingError, closeAfter: 'undecodable auth packet', noReply: true };
    }
    const r = authenticate(packet.scheme, packet.auth, {
      acl: this.opts.acl,
      superDigest: this.opts.config.superDigest,
      remoteIp: conn.channel.remoteIp,
    });
    if (!r.ok) {
      this.stats.authFailed++;
      this.log.info(`closing connection ${conn.channel.remote}: authentication failed (${r.reason})`);
      writeHeaderOnly(out, req.xid, 0n, Err.AuthFailed);
      return { err: Err.AuthFailed, closeAfter: r.reason };
    }
    addAuthIds(conn.authIds, r.add);
    writeHeaderOnly(out, req.xid, 0n, 0);
    return { err: 0, closeAfter: null };
  }

  private recordReply(conn: ClientConnection, req: PendingRequest<OrderedOutcome>, zxid: bigint, err: number, bytes: number): void {
    const now = this.clock.monotonicMs();
    const latency = Math.max(0, Math.floor(now - req.receivedAt));
    const spec = OP_TABLE.get(req.op);
    this.stats.packetsSent++;
    this.stats.latency.record(latency);
    (spec?.isRead ? this.stats.readLatency : this.stats.updateLatency).record(latency);
    this.stats.recordResponseSize(bytes);
    const cs = conn.stats;
    cs.sent++;
    cs.latency.record(latency);
    cs.lastOp = spec?.tag ?? 'UNKN';
    cs.lastCxid = req.xid;
    cs.lastZxid = zxid;
    cs.lastResponseTime = Math.floor(now);
    if (err !== 0 && this.log.debugEnabled) {
      this.log.debug(`session 0x${conn.sessionId.toString(16)} ${opName(req.op)} xid ${req.xid}: error ${err}`);
    }
  }

  // ------------------------------------------------------------------ ReplicationHost

  applied(entry: TxnEntry, applied: ApplyResult): void {
    this.commitCount++;
    if (applied.triggers.length > 0) this.fireWatches(entry, applied);
    const sid = entry.sessionId;
    const op = entry.txn.op;
    if (op === OpCode.createSession) return this.handshakes.sessionCreated(sid);
    const conn = this.bySession.get(sid);
    if (conn === undefined) return;
    const isClose = op === OpCode.closeSession;
    const req = conn.queue.complete({ entry, applied }, (r) => r.xid === entry.cxid && (r.op === OpCode.closeSession) === isClose);
    if (req !== null) {
      try {
        this.drain(conn);
      } catch (e) {
        // A bug answering this connection must not stop the apply loop for everyone.
        this.log.error(`closing connection ${conn.channel.remote} after an internal error: ${(e as Error).stack ?? e}`);
        this.close(conn, 'internal error');
      }
    }
    // Expired (or closed elsewhere): close without sending anything (§13.2).
    if (isClose && conn.state !== 'closed') {
      this.stats.sessionsExpired++;
      this.close(conn, 'session expired');
    }
  }

  private fireWatches(entry: TxnEntry, applied: ApplyResult): void {
    const canRead = (c: ClientConnection, acl: readonly ACL[]) =>
      this.local.skipACL || this.opts.acl.check(acl, Perms.READ, c.authIds);
    for (const d of this.opts.watches.trigger(applied.triggers, canRead)) {
      const c = d.watcher;
      if (c.state === 'closed') continue;
      writeNotification(c.channel.out, d.event.type, d.event.path);
      c.channel.flushSoon();
      if (this.events.enabled) {
        this.events.emit({ kind: 'watch-fired', sessionId: c.sessionId, path: d.event.path, type: d.event.type, zxid: entry.zxid });
      }
    }
  }

  sessionReady(sessionId: bigint, ok: boolean): void {
    this.handshakes.sessionReady(sessionId, ok);
  }

  servingChanged(serving: boolean, role: MemberRole): void {
    this.isServing = serving;
    this.role = role;
    if (!serving) for (const c of [...this.connections]) this.close(c, 'this member stopped serving');
  }

  databaseReplaced(db: ZkDatabase): void {
    this.db = db;
    this.local.db = db;
    this.opts.onDatabaseReplaced?.(db);
  }

  /** Closes every client connection (shutdown). */
  closeAll(reason: string): void {
    for (const c of [...this.connections]) this.close(c, reason);
  }
}
