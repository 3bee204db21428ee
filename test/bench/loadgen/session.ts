/**
 * One raw ZooKeeper session for the load generator: a socket, the handshake, and a FIFO
 * of outstanding requests (the server answers each connection in order, wire-protocol.md
 * §1), kept `inFlight` deep while a load runs.
 *
 * It is deliberately lean so the client is not what we measure: requests are
 * pre-encoded frames, replies are recognised by their header alone (never decoded), the
 * send times live in a typed ring buffer, and all requests that fit are written with one
 * socket write per incoming chunk. Latency = reply arrival − send, on performance.now().
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConnectResponse, Xid } from '../../../engine/src/jute/index.js';
import { closeSessionFrame, connectFrame, pingFrame, REPLY_ERR_AT, REPLY_XID_AT } from './frames.js';

/** Where load requests come from; null means "no more" (e.g. every node deleted). */
export interface RequestSource {
  next(): Buffer | null;
}

/**
 * Told about each load reply: when it was sent and answered (performance.now()), its
 * error code and its payload length (so a run can check it got the replies it expects).
 */
export interface ReplySink {
  reply(sentAt: number, now: number, err: number, length: number): void;
}

export interface CallResult {
  err: number;
  /** The whole reply frame, length prefix included. */
  frame: Buffer;
}

type Callback = (r: CallResult | Error) => void;

export class SessionClosedError extends Error {
  constructor(readonly hostPort: string, reason: string) {
    super(`session to ${hostPort} closed: ${reason}`);
    this.name = 'SessionClosedError';
  }
}

export class PipelinedSession {
  sessionId = 0n;
  negotiatedTimeoutMs = 0;
  /** performance.now() of the last frame sent, for keep-alive pings. */
  lastSentAt = performance.now();
  /** Set once the socket is gone; every later call fails with it. */
  failure: Error | null = null;
  /** Watch notifications (xid -1), with the performance.now() of their arrival. */
  onEvent: ((frame: Buffer, now: number) => void) | null = null;

  // FIFO of outstanding requests: send times in a ring, callbacks (for call()) beside them.
  private sentAt = new Float64Array(1024);
  private callbacks: (Callback | undefined)[] = new Array(1024);
  private head = 0;
  private size = 0;

  private pending: Buffer | null = null;
  private source: RequestSource | null = null;
  private sink: ReplySink | null = null;
  private inFlight = 0;
  private exhausted = false;
  private idleWaiters: (() => void)[] = [];
  private closing = false;

  private constructor(
    private readonly socket: Socket,
    readonly hostPort: string,
  ) {}

  /**
   * Connects and completes the handshake of a new session (§4.1–4.3). With
   * `handshakeTimeoutMs`, a server that accepts but does not answer is given up on.
   */
  static open(hostPort: string, timeoutMs = 30_000, handshakeTimeoutMs = 0): Promise<PipelinedSession> {
    const [host, portText] = splitHostPort(hostPort);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(portText), host);
      socket.setNoDelay(true);
      if (handshakeTimeoutMs > 0) socket.setTimeout(handshakeTimeoutMs, () => socket.destroy(new Error('no handshake reply in time')));
      const session = new PipelinedSession(socket, hostPort);
      let handshake: Buffer | null = null;
      const onHandshakeData = (chunk: Buffer) => {
        handshake = handshake ? Buffer.concat([handshake, chunk]) : chunk;
        if (handshake.length < 4 || handshake.length < 4 + handshake.readInt32BE(0)) return;
        const len = handshake.readInt32BE(0);
        const reply = ConnectResponse.decode(handshake.subarray(4, 4 + len));
        socket.off('data', onHandshakeData);
        socket.setTimeout(0);
        if (reply.timeOut <= 0) {
          socket.destroy();
          reject(new SessionClosedError(hostPort, 'the server refused the new session (timeOut <= 0)'));
          return;
        }
        session.sessionId = reply.sessionId;
        session.negotiatedTimeoutMs = reply.timeOut;
        session.attach(handshake.length > 4 + len ? handshake.subarray(4 + len) : null);
        resolve(session);
      };
      socket.on('connect', () => socket.write(connectFrame(timeoutMs)));
      socket.on('data', onHandshakeData);
      socket.once('error', (e) => reject(new SessionClosedError(hostPort, e.message)));
      socket.once('close', () => reject(new SessionClosedError(hostPort, 'closed during the handshake')));
    });
  }

  private attach(rest: Buffer | null): void {
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (e) => this.fail(e.message));
    this.socket.on('close', () => this.fail(this.closing ? 'closed' : 'the server closed the connection'));
    if (rest) this.onData(rest);
  }

  /** Keeps `inFlight` requests from `source` outstanding until stopLoad() or the source runs dry. */
  startLoad(source: RequestSource, inFlight: number, sink: ReplySink): void {
    if (this.failure) throw this.failure;
    this.source = source;
    this.sink = sink;
    this.inFlight = inFlight;
    this.exhausted = false;
    this.refill();
  }

  /** Stops issuing load requests; resolves once every outstanding one has been answered. */
  stopLoad(): Promise<void> {
    this.source = null;
    return this.whenIdle();
  }

  /** Resolves when nothing is outstanding (the source ran dry or the load was stopped). */
  whenIdle(): Promise<void> {
    if (this.size === 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
    });
  }

  /** Sends one request and resolves with its reply (in FIFO order with any load). */
  call(frame: Buffer): Promise<CallResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.push(performance.now(), (r) => (r instanceof Error ? reject(r) : resolve(r)));
      this.write(frame);
    });
  }

  /** Pings if nothing was sent for a third of the session timeout (§13.2). */
  keepAlive(now: number): void {
    if (this.failure || this.closing) return;
    if (now - this.lastSentAt > this.negotiatedTimeoutMs / 3) this.write(pingFrame());
  }

  /** closeSession (opcode -11), wait for its reply, then drop the socket. */
  async close(): Promise<void> {
    if (this.failure) return;
    const reply = this.call(closeSessionFrame());
    this.closing = true;
    try {
      await reply;
    } finally {
      this.socket.destroy();
    }
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private write(frame: Buffer): void {
    this.lastSentAt = performance.now();
    this.socket.write(frame);
  }

  private push(at: number, cb?: Callback): void {
    if (this.size === this.sentAt.length) this.grow();
    const i = (this.head + this.size) & (this.sentAt.length - 1);
    this.sentAt[i] = at;
    this.callbacks[i] = cb;
    this.size++;
  }

  private grow(): void {
    const cap = this.sentAt.length * 2;
    const at = new Float64Array(cap);
    const cbs: (Callback | undefined)[] = new Array(cap);
    for (let k = 0; k < this.size; k++) {
      const j = (this.head + k) & (this.sentAt.length - 1);
      at[k] = this.sentAt[j]!;
      cbs[k] = this.callbacks[j];
    }
    this.sentAt = at;
    this.callbacks = cbs;
    this.head = 0;
  }

  private refill(): void {
    const source = this.source;
    if (source === null || this.exhausted) return;
    let room = this.inFlight - this.size;
    if (room <= 0) return;
    const now = performance.now();
    if (room === 1) {
      const f = source.next();
      if (f === null) this.exhausted = true;
      else {
        this.push(now);
        this.write(f);
      }
    } else {
      const batch: Buffer[] = [];
      while (room-- > 0) {
        const f = source.next();
        if (f === null) {
          this.exhausted = true;
          break;
        }
        batch.push(f);
        this.push(now);
      }
      if (batch.length > 0) this.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
    }
    if (this.size === 0) this.notifyIdle();
  }

  private onData(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const now = performance.now();
    let at = 0;
    while (buf.length - at >= 4) {
      const len = buf.readInt32BE(at);
      if (buf.length - at - 4 < len) break;
      this.onFrame(buf, at, len, now);
      at += 4 + len;
    }
    this.pending = at === buf.length ? null : Buffer.from(buf.subarray(at));
    this.refill();
    if (this.size === 0) this.notifyIdle();
  }

  private onFrame(buf: Buffer, at: number, len: number, now: number): void {
    const xid = buf.readInt32BE(at + REPLY_XID_AT);
    if (xid === Xid.notification) {
      this.onEvent?.(buf.subarray(at, at + 4 + len), now);
      return;
    }
    if (xid === Xid.ping) return;
    if (this.size === 0) {
      this.fail(`a reply (xid ${xid}) arrived with nothing outstanding`);
      return;
    }
    const i = this.head;
    const sentAt = this.sentAt[i]!;
    const cb = this.callbacks[i];
    this.callbacks[i] = undefined;
    this.head = (this.head + 1) & (this.sentAt.length - 1);
    this.size--;
    const err = len >= REPLY_ERR_AT ? buf.readInt32BE(at + REPLY_ERR_AT) : -1;
    if (cb) cb({ err, frame: Buffer.from(buf.subarray(at, at + 4 + len)) });
    else this.sink?.reply(sentAt, now, err, len);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new SessionClosedError(this.hostPort, reason);
    this.socket.destroy();
    // Outstanding load requests are lost; call() waiters learn why.
    for (let k = 0; k < this.size; k++) {
      const cb = this.callbacks[(this.head + k) & (this.sentAt.length - 1)];
      cb?.(this.failure);
    }
    this.size = 0;
    this.source = null;
    this.notifyIdle();
  }
}

export function splitHostPort(hostPort: string): [string, string] {
  const i = hostPort.lastIndexOf(':');
  if (i <= 0) throw new Error(`expected host:port, got ${hostPort}`);
  return [hostPort.slice(0, i), hostPort.slice(i + 1)];
}
