/**
 * One TCP (or injected) connection to one server: the handshake, framing, matching
 * replies to requests by xid in FIFO order, pings and the read/connect timeouts. It knows
 * nothing about reconnecting; the Session decides what a closed connection means.
 *
 * Protocol notes: the ConnectRequest is the first frame and nothing else is sent until
 * the ConnectResponse arrives (wire-protocol.md §4.2.6); replies come back in request
 * order, with notifications (xid -1) interleaved (§1, §5); ping replies always carry
 * xid -2 and auth replies xid -4 (§5).
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { FrameDecoder, finishFrame, startFrame } from '../jute/framing.js';
import { JuteReader } from '../jute/reader.js';
import { ConnectRequest, ConnectResponse, ReplyHeader, RequestHeader, WatcherEvent } from '../jute/records.js';
import { OpCode, Xid } from '../jute/opcodes.js';
import type { PendingRequest } from './request.js';
import type { ClientClock, HostPort } from './types.js';

/** The longest a connection stays idle before it pings, at most (Java's MAX_SEND_PING_INTERVAL). */
const MAX_PING_INTERVAL = 10_000;

export interface ConnectionHandlers {
  onHandshake(conn: Connection, response: ConnectResponse): void;
  onNotification(conn: Connection, event: WatcherEvent): void;
  onAuthReply(conn: Connection, err: number): void;
  /** Called for every reply carrying zxid > 0 (lastZxidSeen, §5). */
  onZxid(zxid: bigint): void;
  /** The connection is gone; `inFlight` are the requests sent on it and never answered. */
  onClose(conn: Connection, reason: string, inFlight: PendingRequest[]): void;
}

export interface ConnectionOptions {
  clock: ClientClock;
  maxFrameLength: number;
  /** Until the ConnectResponse arrives. */
  connectTimeout: number;
}

interface InFlight {
  xid: number;
  request: PendingRequest;
}

export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly inFlight: InFlight[] = [];
  private lastSend: number;
  private lastRecv: number;
  private timer: unknown = null;
  private handshakeDone = false;
  private closed = false;
  private readTimeout = 0;
  private corked = false;

  constructor(
    readonly target: HostPort,
    private readonly socket: Duplex,
    private readonly opts: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.decoder = new FrameDecoder(opts.maxFrameLength);
    this.lastSend = this.lastRecv = opts.clock.now();
  }

  get ready(): boolean {
    return this.handshakeDone && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** When bytes last arrived (clock time). */
  get lastReceived(): number {
    return this.lastRecv;
  }

  /** Number of requests sent and not yet answered. */
  get outstanding(): number {
    return this.inFlight.length;
  }

  /** Opens the conversation: waits for the socket if it is still connecting, then sends the ConnectRequest. */
  start(request: ConnectRequest): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (e: Error) => this.close(`socket error: ${e.message}`));
    this.socket.on('close', () => this.close('connection closed by server'));
    this.socket.on('end', () => this.close('connection closed by server'));
    this.armTimer(this.opts.connectTimeout);
    const send = () => {
      if (this.closed) return;
      const w = startFrame();
      ConnectRequest.write(w, request);
      this.write(finishFrame(w));
    };
    if (this.socket instanceof Socket && this.socket.connecting) this.socket.once('connect', send);
    else send();
  }

  /** Sends a request whose reply is matched in order. */
  send(xid: number, request: PendingRequest): void {
    this.inFlight.push({ xid, request });
    this.writeRequest(xid, request.spec.opcode, request.spec.body);
  }

  /** Sends an auth packet (xid -4); its reply goes to onAuthReply. */
  sendAuth(body: Buffer): void {
    this.writeRequest(Xid.auth, OpCode.auth, body);
  }

  /** Closes the connection once; unanswered requests go to onClose. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    const pending = this.inFlight.splice(0).map((f) => f.request);
    this.handlers.onClose(this, reason, pending);
  }

  private writeRequest(xid: number, opcode: number, body: Buffer | null): void {
    if (this.closed) return;
    const w = startFrame();
    RequestHeader.write(w, { xid, type: opcode });
    if (body) w.raw(body);
    this.write(finishFrame(w));
  }

  /** Writes one frame; frames written in the same tick leave in one batch. */
  private write(frame: Buffer): void {
    this.lastSend = this.opts.clock.now();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastRecv = this.opts.clock.now();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.close((e as Error).message);
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      try {
        this.onFrame(frame);
      } catch (e) {
        this.close(`protocol error: ${(e as Error).message}`);
        return;
      }
    }
  }

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame, 0, frame.length, this.opts.maxFrameLength);
    if (!this.handshakeDone) {
      const response = ConnectResponse.read(r);
      this.handshakeDone = true;
      this.handlers.onHandshake(this, response);
      return;
    }
    const header = ReplyHeader.read(r);
    switch (header.xid) {
      case Xid.notification:
        this.handlers.onNotification(this, WatcherEvent.read(r));
        return;
      case Xid.ping:
        return;
      case Xid.auth:
        this.handlers.onAuthReply(this, header.err);
        return;
    }
    const head = this.inFlight.shift();
    if (!head) throw new Error(`reply xid ${header.xid} with no request outstanding`);
    if (head.xid !== header.xid) {
      this.inFlight.unshift(head);
      throw new Error(`xid out of order: got ${header.xid}, expected ${head.xid}`);
    }
    if (header.zxid > 0n) this.handlers.onZxid(header.zxid);
    head.request.settle(header.err, r);
  }

  /** After the handshake: readTimeout = 2/3 of the negotiated timeout (Java's rule, §13.2). */
  setNegotiatedTimeout(timeout: number): void {
    this.readTimeout = Math.floor((timeout * 2) / 3);
    this.armTimer(Math.min(this.pingInterval(), this.readTimeout));
  }

  private pingInterval(): number {
    return Math.max(1, Math.min(Math.floor(this.readTimeout / 2), MAX_PING_INTERVAL));
  }

  private armTimer(ms: number): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => this.onTimer(), Math.max(1, ms));
  }

  /**
   * One timer serves three deadlines: the connect timeout before the handshake, then the
   * read timeout (nothing received for 2/3 of the session timeout: the server is gone) and
   * the ping (nothing sent for readTimeout/2, at most 10 s).
   */
  private onTimer(): void {
    this.timer = null;
    if (this.closed) return;
    const now = this.opts.clock.now();
    if (!this.handshakeDone) {
      this.close(`connect timeout after ${this.opts.connectTimeout} ms`);
      return;
    }
    const idleRecv = now - this.lastRecv;
    if (idleRecv >= this.readTimeout) {
      this.close(`no reply from server for ${idleRecv} ms`);
      return;
    }
    const interval = this.pingInterval();
    if (now - this.lastSend >= interval) {
      this.writeRequest(Xid.ping, OpCode.ping, null);
    }
    const nextPing = this.lastSend + interval - now;
    const nextRead = this.lastRecv + this.readTimeout - now;
    this.armTimer(Math.min(nextPing, nextRead));
  }
}
