/**
 * The session engine behind ZkClient: picks servers, opens connections, performs the
 * handshake, replays auth and watches after a reconnect, queues requests while no
 * connection is up, and decides when the session is over. One Connection at a time.
 *
 * Rules it implements (wire-protocol.md §4, §5, §12.5, §13; zab.md §5, §6):
 *  - reconnect with (sessionId, passwd, lastZxidSeen); a server that is behind closes
 *    the socket without answering and the next host is tried;
 *  - a ConnectResponse with timeOut <= 0 means the session expired: terminal. Only the
 *    server decides expiry: while no server can be reached the client keeps trying, for
 *    as long as it takes, as the Java 3.8 client does (its ClientCnxn has no client-side
 *    expiry), so a session the ensemble kept through a long election is resumed. The
 *    Java 3.9+ rule (ZOOKEEPER-4508: expired after 4/3 of the timeout unheard) is the
 *    opt-in `localSessionExpiry`;
 *  - when a connection drops, or an attempt to open one fails, every request sent on it
 *    and every request waiting for a connection fails with ConnectionLoss (Java's
 *    SendThread cleanup), so nothing hangs while the servers are away; requests made
 *    during an attempt that succeeds are sent after the handshake, in order;
 *  - with `requestTimeout`, a request without a reply in time fails with RequestTimeout
 *    and the connection is dropped (Java's `zookeeper.request.timeout`);
 *  - after the handshake: auth packets first, then SetWatches(2) batches, then the
 *    queued requests (Java's primeConnection order);
 *  - a read-only connection probes the other servers with `isro` and moves to a
 *    read-write one as soon as it finds it.
 */
import { OpCode } from '../jute/opcodes.js';
import { Err } from '../jute/error-codes.js';
import { KeeperState } from '../jute/constants.js';
import { AuthPacket, SetWatches, SetWatches2, type ConnectResponse, type WatcherEvent } from '../jute/records.js';
import { Connection } from './connection.js';
import { ZkError } from './errors.js';
import { HostProvider } from './host-provider.js';
import { PendingRequest, type RequestSpec } from './request.js';
import { probeReadWrite } from './rw-probe.js';
import { TERMINAL_STATES, type ClientClock, type HostPort, type SessionState, type SocketFactory } from './types.js';
import type { WatchRegistry } from './client-watches.js';

export interface SessionConfig {
  hosts: readonly HostPort[];
  sessionTimeout: number;
  /** Fixed per-attempt connect timeout; undefined = sessionTimeout / hosts (renegotiated). */
  connectTimeout?: number;
  /** A new session not established within this many ms ends in `expired`; 0 = never. */
  newSessionTimeout: number;
  /** Expire an established session after 4/3 × timeout with no server heard (ZOOKEEPER-4508). */
  localSessionExpiry: boolean;
  /** Per-request reply deadline in ms; 0 = none. */
  requestTimeout: number;
  canBeReadOnly: boolean;
  sessionId: bigint;
  sessionPassword: Buffer | null;
  socketFactory: SocketFactory;
  shuffleHosts: boolean;
  random: () => number;
  clock: ClientClock;
  retryDelay: number;
  reconnectJitter: number;
  maxFrameLength: number;
  rwProbeMinInterval: number;
  rwProbeMaxInterval: number;
}

export interface SessionHooks {
  onState(state: SessionState, previous: SessionState): void;
  /** A watch notification from the server (server path). */
  onNotification(event: WatcherEvent): void;
  /** A session-level event (type None) for the default watcher; `terminal` when the session is over. */
  onSessionEvent(state: KeeperState, terminal: boolean): void;
}

interface AuthEntry {
  body: Buffer;
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

const ZERO_PASSWORD = Buffer.alloc(16);

export class Session {
  state: SessionState = 'connecting';
  sessionId: bigint;
  password: Buffer;
  negotiatedTimeout = 0;
  lastZxid = 0n;

  private readonly hosts: HostProvider;
  private seenRwServer: boolean;
  private started = false;
  private closing: Promise<void> | null = null;
  private conn: Connection | null = null;
  private readonly outgoing: PendingRequest[] = [];
  private readonly auths: AuthEntry[] = [];
  private authInFlight: AuthEntry[] = [];
  private xid = 1;
  private connectTimeout: number;
  private lastHeard: number;
  private firstAttempt = true;
  private rwServer: HostPort | null = null;
  private probeInterval: number;
  private reconnectTimer: unknown = null;
  private expiryTimer: unknown = null;
  private probeTimer: unknown = null;

  constructor(
    private readonly config: SessionConfig,
    private readonly registry: WatchRegistry,
    private readonly hooks: SessionHooks,
  ) {
    this.hosts = new HostProvider(config.hosts, config.shuffleHosts, config.random);
    this.sessionId = config.sessionId;
    this.password = config.sessionPassword ?? ZERO_PASSWORD;
    // A session handed over from elsewhere was made by a read-write server.
    this.seenRwServer = config.sessionId !== 0n;
    // Java's rule (timeout / hosts), with floors so a tiny requested timeout cannot make a
    // loopback handshake impossible.
    this.connectTimeout = config.connectTimeout ?? Math.max(1000, Math.floor(config.sessionTimeout / this.hosts.size));
    this.lastHeard = config.clock.now();
    this.probeInterval = config.rwProbeMinInterval;
  }

  get isTerminal(): boolean {
    return TERMINAL_STATES.has(this.state);
  }

  get isClosing(): boolean {
    return this.closing !== null;
  }

  /** The server of the current connection, once the handshake is done. */
  get server(): HostPort | null {
    return this.conn?.ready ? this.conn.target : null;
  }

  start(): void {
    if (this.started || this.isTerminal) return;
    this.started = true;
    this.lastHeard = this.config.clock.now();
    this.armExpiry();
    this.scheduleConnect();
  }

  /** Queues or sends a request; resolves with its decoded reply. */
  submit<T>(spec: RequestSpec<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { clock, requestTimeout } = this.config;
      let timer: unknown = null;
      const stopTimer = () => {
        if (timer !== null) clock.clearTimeout(timer);
        timer = null;
      };
      const req = new PendingRequest<T>(
        spec,
        (v) => (stopTimer(), resolve(v)),
        (e) => (stopTimer(), reject(e)),
      ) as PendingRequest;
      if (this.isTerminal) return req.fail(this.terminalCode());
      if (this.closing) return req.fail(Err.ConnectionLoss);
      this.start();
      const conn = this.conn;
      if (conn?.ready && this.outgoing.length === 0) conn.send(this.xid++, req);
      else this.outgoing.push(req);
      if (requestTimeout > 0 && !req.settled) {
        timer = clock.setTimeout(() => {
          timer = null;
          this.onRequestTimeout(req);
        }, requestTimeout);
      }
    });
  }

  /** Adds credentials for this session; they are replayed on every reconnect (§15.3). */
  addAuth(scheme: string, auth: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.isTerminal) return reject(this.terminalError());
      const entry: AuthEntry = { body: AuthPacket.encode({ type: 0, scheme, auth }), waiters: [{ resolve, reject }] };
      this.auths.push(entry);
      this.start();
      if (this.conn?.ready) {
        this.conn.sendAuth(entry.body);
        this.authInFlight.push(entry);
      }
      // Otherwise the next handshake sends it with the others.
    });
  }

  /** Ends the session: closeSession (-11) if connected, then closes. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.isTerminal) return Promise.resolve();
    this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.clearTimers();
    const conn = this.conn;
    if (conn?.ready) {
      await new Promise<void>((done) => {
        const timer = this.config.clock.setTimeout(done, Math.max(this.connectTimeout, 1000));
        const finish = () => {
          this.config.clock.clearTimeout(timer);
          done();
        };
        const spec: RequestSpec<void> = { opcode: OpCode.closeSession, body: null, read: () => undefined };
        conn.send(this.xid++, new PendingRequest(spec, finish, finish) as PendingRequest);
      });
    }
    this.conn?.close('client closed');
    this.conn = null;
    this.terminate('closed', KeeperState.Closed, Err.ConnectionLoss);
  }

  // ---- connecting ----

  private scheduleConnect(): void {
    if (this.closing || this.isTerminal) return;
    let target: HostPort;
    let delay = 0;
    if (this.rwServer) {
      target = this.rwServer;
      this.rwServer = null;
    } else {
      const next = this.hosts.next(this.config.retryDelay);
      target = next.host;
      delay = next.delay;
      // Java sleeps a random 0–1 s before every reconnect so a failed server's clients do not all
      // hit the same survivor at once; ours is shorter and configurable.
      if (!this.firstAttempt) delay += Math.floor(this.config.random() * this.config.reconnectJitter);
    }
    this.firstAttempt = false;
    this.reconnectTimer = this.config.clock.setTimeout(() => {
      this.reconnectTimer = null;
      this.open(target);
    }, delay);
  }

  private open(target: HostPort): void {
    if (this.closing || this.isTerminal) return;
    this.setState('connecting');
    let socket;
    try {
      socket = this.config.socketFactory(target);
    } catch {
      this.hosts.onFailure();
      this.failWaiting();
      this.scheduleConnect();
      return;
    }
    const conn = new Connection(
      target,
      socket,
      { clock: this.config.clock, maxFrameLength: this.config.maxFrameLength, connectTimeout: this.connectTimeout },
      {
        onHandshake: (c, r) => this.onHandshake(c, r),
        onNotification: (c, e) => {
          if (c === this.conn) this.hooks.onNotification(e);
        },
        onAuthReply: (c, err) => this.onAuthReply(c, err),
        onZxid: (z) => {
          if (z > this.lastZxid) this.lastZxid = z;
        },
        onClose: (c, reason, inFlight) => this.onConnectionClose(c, reason, inFlight),
      },
    );
    this.conn = conn;
    const resume = this.seenRwServer;
    conn.start({
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOut: this.config.sessionTimeout,
      sessionId: resume ? this.sessionId : 0n,
      passwd: resume ? this.password : ZERO_PASSWORD,
      readOnly: this.config.canBeReadOnly,
    });
  }

  private onHandshake(conn: Connection, r: ConnectResponse): void {
    if (conn !== this.conn) return;
    if (r.timeOut <= 0) {
      // §4.2 step 5: the session is unknown or expired on the server.
      this.terminate('expired', KeeperState.Expired, Err.SessionExpired);
      return;
    }
    const readOnly = r.readOnly === true;
    this.sessionId = r.sessionId;
    this.password = r.passwd ?? ZERO_PASSWORD;
    this.negotiatedTimeout = r.timeOut;
    this.seenRwServer ||= !readOnly;
    if (this.config.connectTimeout === undefined) this.connectTimeout = Math.max(250, Math.floor(r.timeOut / this.hosts.size));
    conn.setNegotiatedTimeout(r.timeOut);
    this.hosts.onConnected();
    this.lastHeard = this.config.clock.now();
    this.clearTimer('expiryTimer');

    this.authInFlight = [];
    for (const a of this.auths) {
      conn.sendAuth(a.body);
      this.authInFlight.push(a);
    }
    for (const batch of this.registry.setWatchesBatches(this.lastZxid)) {
      const body = batch.persistent ? SetWatches2.encode(batch.record) : SetWatches.encode(batch.record);
      const spec: RequestSpec<void> = { opcode: batch.persistent ? OpCode.setWatches2 : OpCode.setWatches, body, read: () => undefined };
      // A failed SetWatches is not fatal: the watches just will not fire (Java logs it too).
      conn.send(this.xid++, new PendingRequest(spec, () => {}, () => {}) as PendingRequest);
    }
    while (this.outgoing.length > 0 && conn.ready) conn.send(this.xid++, this.outgoing.shift()!);

    this.setState(readOnly ? 'connected-read-only' : 'connected');
    this.hooks.onSessionEvent(readOnly ? KeeperState.ConnectedReadOnly : KeeperState.SyncConnected, false);
    if (readOnly) this.startProbing();
  }

  private onAuthReply(conn: Connection, err: number): void {
    if (conn !== this.conn) return;
    const entry = this.authInFlight.shift();
    const waiters = entry?.waiters.splice(0) ?? [];
    if (err === Err.Ok) {
      for (const w of waiters) w.resolve();
      return;
    }
    // §15.3: a rejected auth packet ends the session (Java: AUTH_FAILED, terminal).
    for (const w of waiters) w.reject(new ZkError(Err.AuthFailed));
    this.terminate('auth-failed', KeeperState.AuthFailed, Err.AuthFailed);
  }

  private onConnectionClose(conn: Connection, _reason: string, inFlight: PendingRequest[]): void {
    if (conn !== this.conn) {
      for (const r of inFlight) r.fail(Err.ConnectionLoss);
      return;
    }
    this.conn = null;
    const code = this.isTerminal ? this.terminalCode() : Err.ConnectionLoss;
    for (const r of inFlight) r.fail(code);
    if (this.closing || this.isTerminal) return;
    this.clearTimer('probeTimer');
    const wasUp = conn.ready || this.state === 'connected' || this.state === 'connected-read-only';
    if (wasUp) {
      this.lastHeard = Math.max(this.lastHeard, conn.lastReceived);
      this.setState('disconnected');
    } else {
      this.hosts.onFailure();
    }
    // Java fails the waiting requests on every failed attempt too, not only on a drop.
    this.failWaiting();
    if (wasUp) this.hooks.onSessionEvent(KeeperState.Disconnected, false);
    this.armExpiry();
    this.scheduleConnect();
  }

  /**
   * ConnectionLoss for every request waiting for a connection, and for the callers of
   * addAuth still waiting for an answer (their credentials stay registered and are sent
   * with the next handshake). Callers may retry; the client keeps looking for a server.
   */
  private failWaiting(): void {
    for (const r of this.outgoing.splice(0)) r.fail(Err.ConnectionLoss);
    for (const a of this.auths) for (const w of a.waiters.splice(0)) w.reject(new ZkError(Err.ConnectionLoss));
  }

  /**
   * Java's submitRequest with `zookeeper.request.timeout`: the late request fails with
   * RequestTimeout and the connection is torn down (cleanAndNotifyState), so its other
   * requests fail with ConnectionLoss and the client reconnects. Replies come in order
   * (§5): a connection owing an old reply cannot be trusted with newer ones.
   */
  private onRequestTimeout(req: PendingRequest): void {
    if (req.settled || this.isTerminal) return;
    const queued = this.outgoing.indexOf(req);
    if (queued >= 0) this.outgoing.splice(queued, 1);
    req.fail(Err.RequestTimeout);
    if (this.closing) return;
    if (this.conn) this.conn.close('request timed out');
    else this.failWaiting();
  }

  // ---- expiry ----

  /**
   * Arms a local deadline while no connection is up, only where one was asked for:
   * `newSessionTimeout` for a session not yet established, `localSessionExpiry` (4/3 of
   * the negotiated timeout since a server was last heard) for an established one.
   * Without them the client waits for a server to tell it (see the header comment).
   */
  private armExpiry(): void {
    if (this.expiryTimer !== null) return;
    const established = this.sessionId !== 0n && this.seenRwServer;
    if (established && !this.config.localSessionExpiry) return;
    const limit = established ? Math.floor(((this.negotiatedTimeout || this.config.sessionTimeout) * 4) / 3) : this.config.newSessionTimeout;
    if (limit <= 0) return;
    const wait = this.lastHeard + limit - this.config.clock.now();
    this.expiryTimer = this.config.clock.setTimeout(() => {
      this.expiryTimer = null;
      if (this.conn?.ready || this.closing || this.isTerminal) return;
      this.terminate('expired', KeeperState.Expired, Err.SessionExpired);
    }, Math.max(0, wait));
  }

  // ---- read-only → read-write ----

  private startProbing(): void {
    this.probeInterval = this.config.rwProbeMinInterval;
    this.scheduleProbe(1);
  }

  private scheduleProbe(offset: number): void {
    this.clearTimer('probeTimer');
    this.probeTimer = this.config.clock.setTimeout(async () => {
      this.probeTimer = null;
      if (this.state !== 'connected-read-only') return;
      const host = this.hosts.peekOther(offset);
      const rw = await probeReadWrite(host, this.config.socketFactory, this.config.clock);
      if (this.state !== 'connected-read-only' || this.closing) return;
      if (rw) {
        this.rwServer = host;
        this.conn?.close(`read-write server found at ${host.host}:${host.port}`);
        return;
      }
      this.probeInterval = Math.min(this.probeInterval * 2, this.config.rwProbeMaxInterval);
      this.scheduleProbe((offset % this.hosts.size) + 1);
    }, this.probeInterval);
  }

  // ---- the end ----

  private terminalCode(): number {
    if (this.state === 'auth-failed') return Err.AuthFailed;
    return Err.SessionExpired;
  }

  private terminalError(): ZkError {
    return new ZkError(this.terminalCode());
  }

  /** Ends the session for good: every request and auth fails, watchers get the final event. */
  private terminate(state: SessionState, keeperState: KeeperState, code: number): void {
    if (this.isTerminal) return;
    this.clearTimers();
    this.setState(state);
    // Closed while still current, so its unanswered requests fail with the terminal code.
    this.conn?.close(state);
    this.conn = null;
    for (const r of this.outgoing.splice(0)) r.fail(code);
    for (const a of this.auths) for (const w of a.waiters.splice(0)) w.reject(new ZkError(code));
    this.hooks.onSessionEvent(keeperState, true);
  }

  private setState(next: SessionState): void {
    const prev = this.state;
    if (prev === next) return;
    this.state = next;
    this.hooks.onState(next, prev);
  }

  private clearTimer(name: 'reconnectTimer' | 'expiryTimer' | 'probeTimer'): void {
    if (this[name] !== null) this.config.clock.clearTimeout(this[name]);
    this[name] = null;
  }

  private clearTimers(): void {
    this.clearTimer('reconnectTimer');
    this.clearTimer('expiryTimer');
    this.clearTimer('probeTimer');
  }
}
