/**
 * A raw ZooKeeper wire-protocol client for compatibility, differential and fuzz tests.
 *
 * It deliberately does nothing clever: it frames bytes with engine/src/jute, lets the
 * caller choose every xid, the handshake variant (with or without the readOnly byte,
 * wire-protocol.md §4.1) and what to pipeline, and records every frame the server
 * sends — replies and watch notifications — in arrival order, plus the moment the
 * server closes the socket. It never reconnects, pings or replays anything on its own,
 * so what a test observes is exactly what the server did.
 *
 * It does not use engine/src/client on purpose: the differential harness must not
 * share code (and bugs) with the client we are testing elsewhere.
 */
import { connect as netConnect, type Socket } from 'node:net';
import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  JuteReader,
  JuteWriter,
  OpCode,
  ReplyHeader,
  RequestHeader,
  WatcherEvent,
  Xid,
  finishFrame,
  opName,
  startFrame,
} from '../../engine/src/jute/index.js';

/** Replies may legitimately be a little larger than jute.maxbuffer (getData of a full node + Stat). */
const MAX_REPLY_FRAME = 0xfffff + 4096;
/** A safety net so a missing reply fails the test with a message instead of hanging it. */
const DEFAULT_REPLY_TIMEOUT_MS = 15_000;

export interface HandshakeOptions {
  /** Requested session timeout (ms); the server clamps it (§4.2 step 3). */
  timeOut?: number;
  /** 0 (default) asks for a new session; otherwise resumes that session (§4.2 step 5). */
  sessionId?: bigint;
  /** Defaults to 16 zero bytes. `null` sends a null buffer. */
  passwd?: Buffer | null;
  lastZxidSeen?: bigint;
  /** The trailing readOnly byte; 'omit' sends a 44-byte "old client" request like node-zookeeper-client. */
  readOnly?: boolean | 'omit';
  protocolVersion?: number;
}

export interface RawReply {
  xid: number;
  zxid: bigint;
  err: number;
  /** Bytes after the ReplyHeader (empty for error replies, §5). */
  body: Buffer;
  /** The opcode of the request this reply was matched to. */
  op: number;
  /** False when the reply did not answer the oldest pending request (a FIFO violation, §1). */
  inOrder: boolean;
}

export type Arrival =
  | ({ kind: 'reply' } & RawReply)
  /** A reply whose xid matched nothing we sent. */
  | { kind: 'unmatched'; xid: number; zxid: bigint; err: number; body: Buffer }
  | { kind: 'event'; zxid: bigint; type: number; state: number; path: string }
  /** A frame that could not be decoded (too short for a ReplyHeader, or a bad WatcherEvent). */
  | { kind: 'garbled'; frame: Buffer; reason: string }
  | { kind: 'closed'; reason: string };

export class ConnectionClosedError extends Error {
  constructor(readonly what: string, readonly reason: string) {
    super(`connection closed ${what}: ${reason}`);
    this.name = 'ConnectionClosedError';
  }
}

interface Pending {
  xid: number;
  op: number;
  resolve(r: RawReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class RawZkClient {
  /** Everything the server sent after the ConnectResponse, in arrival order. */
  readonly arrivals: Arrival[] = [];
  /** The ConnectResponse, once the handshake completed. */
  session: ConnectResponse | null = null;
  /** The largest positive zxid seen in a reply header (what a real client sends as lastZxidSeen). */
  lastZxid = 0n;
  /** Called for every watch notification as it arrives. */
  onEvent: ((e: Extract<Arrival, { kind: 'event' }>) => void) | null = null;
  replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS;

  private readonly decoder = new FrameDecoder(MAX_REPLY_FRAME);
  private readonly pending: Pending[] = [];
  private nextXid = 1;
  private closeReason: string | null = null;
  private handshakeWaiter: { resolve(r: ConnectResponse): void; reject(e: Error): void } | null = null;
  private readonly closedPromise: Promise<string>;
  private resolveClosed!: (reason: string) => void;

  private constructor(readonly socket: Socket) {
    this.closedPromise = new Promise((r) => (this.resolveClosed = r));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.onClose(`socket error: ${e.message}`));
    socket.on('close', () => this.onClose('closed by peer'));
  }

  /** Opens a TCP connection and sends nothing. */
  static dial(port: number, host = '127.0.0.1'): Promise<RawZkClient> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(port, host);
      const fail = (e: Error) => reject(new Error(`cannot connect to ${host}:${port}: ${e.message}`));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(new RawZkClient(socket));
      });
    });
  }

  /** Dials and performs the handshake. */
  static async connect(port: number, opts: HandshakeOptions = {}, host = '127.0.0.1'): Promise<RawZkClient> {
    const c = await RawZkClient.dial(port, host);
    try {
      await c.handshake(opts);
    } catch (e) {
      c.destroy();
      throw e;
    }
    return c;
  }

  get closed(): boolean {
    return this.closeReason !== null;
  }

  /** Resolves with the reason once the socket is closed (by either side). */
  whenClosed(): Promise<string> {
    return this.closedPromise;
  }

  get sessionId(): bigint {
    if (!this.session) throw new Error('no session: the handshake has not completed');
    return this.session.sessionId;
  }

  /** The ConnectRequest frame for these options (exposed so fuzzers can mutate it). */
  static connectFrame(opts: HandshakeOptions = {}): Buffer {
    const w = startFrame(new JuteWriter(64));
    ConnectRequest.write(w, {
      protocolVersion: opts.protocolVersion ?? 0,
      lastZxidSeen: opts.lastZxidSeen ?? 0n,
      timeOut: opts.timeOut ?? 30_000,
      sessionId: opts.sessionId ?? 0n,
      passwd: opts.passwd === undefined ? Buffer.alloc(16) : opts.passwd,
      readOnly: opts.readOnly === 'omit' ? undefined : (opts.readOnly ?? false),
    });
    return finishFrame(w);
  }

  /**
   * Sends a ConnectRequest and resolves with the ConnectResponse. Rejects with
   * ConnectionClosedError if the server closes the socket instead (§4.2 step 1).
   * A response with timeOut 0 is returned as is: that is the "session expired" answer.
   */
  handshake(opts: HandshakeOptions = {}): Promise<ConnectResponse> {
    const response = this.awaitConnectResponse();
    this.sendBytes(RawZkClient.connectFrame(opts));
    return response;
  }

  /**
   * Treats the server's first frame as the ConnectResponse without sending anything,
   * for tests that write their own (possibly malformed) ConnectRequest bytes.
   */
  awaitConnectResponse(): Promise<ConnectResponse> {
    if (this.session || this.handshakeWaiter) throw new Error('handshake already sent');
    return new Promise((resolve, reject) => {
      this.handshakeWaiter = { resolve, reject };
      if (this.closeReason !== null) {
        this.handshakeWaiter = null;
        reject(new ConnectionClosedError('before the ConnectResponse', this.closeReason));
      }
    });
  }

  /** Allocates the next xid the way the Java client does (1, 2, 3, ...). */
  allocXid(): number {
    return this.nextXid++;
  }

  /** Sets the next auto-allocated xid (node-zookeeper-client starts at 0). */
  setNextXid(xid: number): void {
    this.nextXid = xid;
  }

  /**
   * Sends one request and resolves with its reply. Several calls may be in flight
   * (pipelining); replies are matched by xid (ping replies by opcode, §5).
   */
  request(op: number, body: Buffer = Buffer.alloc(0), opts: { xid?: number } = {}): Promise<RawReply> {
    const xid = opts.xid ?? (op === OpCode.ping ? Xid.ping : op === OpCode.auth ? Xid.auth : this.allocXid());
    return new Promise((resolve, reject) => {
      if (this.closeReason !== null) {
        reject(new ConnectionClosedError(`before ${opName(op)} xid ${xid} was sent`, this.closeReason));
        return;
      }
      const timer = setTimeout(() => {
        const i = this.pending.findIndex((p) => p.timer === timer);
        if (i >= 0) this.pending.splice(i, 1);
        reject(new Error(`no reply to ${opName(op)} xid ${xid} within ${this.replyTimeoutMs} ms`));
      }, this.replyTimeoutMs);
      this.pending.push({ xid, op, resolve, reject, timer });
      this.socket.write(RawZkClient.requestFrame(xid, op, body));
    });
  }

  /** A whole request frame: length, RequestHeader, body. */
  static requestFrame(xid: number, op: number, body: Buffer = Buffer.alloc(0)): Buffer {
    const w = startFrame(new JuteWriter(16 + body.length));
    RequestHeader.write(w, { xid, type: op });
    w.raw(body);
    return finishFrame(w);
  }

  /** Writes arbitrary bytes (fuzzing, bad input). Nothing is expected back. */
  sendBytes(bytes: Buffer): void {
    if (this.closeReason === null) this.socket.write(bytes);
  }

  ping(): Promise<RawReply> {
    return this.request(OpCode.ping);
  }

  /** Events that arrived so far, optionally only after arrival index `from`. */
  events(from = 0): Extract<Arrival, { kind: 'event' }>[] {
    return this.arrivals.slice(from).filter((a): a is Extract<Arrival, { kind: 'event' }> => a.kind === 'event');
  }

  /** Closes our side abruptly (no closeSession: the session lives on, §13.2). */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.arrivals.push({ kind: 'garbled', frame: chunk, reason: (e as Error).message });
      this.socket.destroy();
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private onFrame(frame: Buffer): void {
    if (!this.session) {
      const waiter = this.handshakeWaiter;
      if (!waiter) {
        this.arrivals.push({ kind: 'garbled', frame, reason: 'frame before any ConnectRequest was sent' });
        return;
      }
      this.handshakeWaiter = null;
      try {
        this.session = ConnectResponse.decode(frame);
        waiter.resolve(this.session);
      } catch (e) {
        waiter.reject(new Error(`bad ConnectResponse (${frame.toString('hex')}): ${(e as Error).message}`));
      }
      return;
    }
    let header: ReplyHeader;
    const r = new JuteReader(frame);
    try {
      header = ReplyHeader.read(r);
    } catch (e) {
      this.arrivals.push({ kind: 'garbled', frame, reason: (e as Error).message });
      return;
    }
    const body = frame.subarray(r.offset);
    if (header.xid === Xid.notification) return this.onNotification(header, body, frame);
    if (header.zxid > this.lastZxid) this.lastZxid = header.zxid;
    const i =
      header.xid === Xid.ping
        ? this.pending.findIndex((p) => p.op === OpCode.ping)
        : this.pending.findIndex((p) => p.xid === header.xid && p.op !== OpCode.ping);
    if (i < 0) {
      this.arrivals.push({ kind: 'unmatched', ...header, body });
      return;
    }
    const [p] = this.pending.splice(i, 1);
    clearTimeout(p.timer);
    // The arrival itself is the resolved value, so callers can find it in `arrivals`.
    const reply = { kind: 'reply' as const, ...header, body, op: p.op, inOrder: i === 0 };
    this.arrivals.push(reply);
    p.resolve(reply);
  }

  private onNotification(header: ReplyHeader, body: Buffer, frame: Buffer): void {
    try {
      const e = WatcherEvent.decode(body);
      const arrival = { kind: 'event' as const, zxid: header.zxid, ...e };
      this.arrivals.push(arrival);
      this.onEvent?.(arrival);
    } catch (err) {
      this.arrivals.push({ kind: 'garbled', frame, reason: (err as Error).message });
    }
  }

  private onClose(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.arrivals.push({ kind: 'closed', reason });
    this.handshakeWaiter?.reject(new ConnectionClosedError('before the ConnectResponse', reason));
    this.handshakeWaiter = null;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new ConnectionClosedError(`with ${opName(p.op)} xid ${p.xid} pending`, reason));
    }
    this.socket.destroy();
    this.resolveClosed(reason);
  }
}
