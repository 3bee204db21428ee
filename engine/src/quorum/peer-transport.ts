/**
 * TCP between members (node; the only place quorum/ touches sockets besides driver.ts).
 *
 * Election connections (QuorumCnxManager, zab.md §2.7): one per pair, on each member's
 * electionPort. Either side may dial; the dialer first sends its sid. The connection
 * that survives is the one initiated by the higher sid: a lower-sid dialer sends its sid
 * and closes; a higher-sid receiver drops the incoming connection and dials back. A
 * fresh connection carries the member's current vote and state (the core sends it when
 * told the peer is connected): not a replay of the last notification, which may be a
 * LOOKING vote from an election long over. A connection from my own sid is a
 * configuration error and is refused.
 *
 * Quorum connections: one per ZAB link (messages.ts), dialed by the learner to the
 * leader's quorumPort when its core sends the link's first packet (FOLLOWERINFO /
 * OBSERVERINFO), up to 5 tries 100 ms apart (zab.md §3.4); the dialer sends (sid, link)
 * first. The leader answers on the connection the link arrived on. When a quorum
 * connection ends, the core hears `linkClosed(peer, link)`.
 *
 * Every message is length-prefixed (message-codec.ts); a malformed one closes only its
 * connection.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../jute/framing.js';
import type { Logger } from '../server/log.js';
import { MAX_PEER_MESSAGE, decodePeerMessage, encodePeerMessage } from './message-codec.js';
import type { PeerMessage } from './messages.js';

export interface PeerAddress {
  sid: number;
  host: string;
  quorumPort: number;
  electionPort: number;
}

export interface TransportHandlers {
  message(from: number, msg: PeerMessage): void;
  linkClosed(peer: number, link: number): void;
  /** The election connection to `peer` came up or went down. */
  peerConnection(peer: number, up: boolean): void;
}

export interface PeerTransportOptions {
  self: number;
  /** Every member, me included (my entry gives the ports I listen on). */
  members: readonly PeerAddress[];
  /** Where to listen (the configured host of my own server line, usually 127.0.0.1). */
  listenHost: string;
  /** Election dial timeout (zookeeper.cnxTimeout). */
  connectTimeoutMs: number;
  /** Handshake read timeout (tickTime × syncLimit). */
  handshakeTimeoutMs: number;
  log: Logger;
}

const HELLO_ELECTION = 0x5a4c4531; // 'ZLE1'
const HELLO_QUORUM = 0x5a4c5131; // 'ZLQ1'
const LEARNER_DIAL_TRIES = 5;
const LEARNER_DIAL_GAP_MS = 100;

interface QuorumLink {
  peer: number;
  socket: Socket | null;
  /** Frames waiting for the learner's dial to complete. */
  backlog: Buffer[];
  closed: boolean;
}

function hello(kind: number, sid: number, link = 0): Buffer {
  const b = Buffer.alloc(20);
  b.writeInt32BE(16, 0);
  b.writeInt32BE(kind, 4);
  b.writeInt32BE(sid, 8);
  b.writeBigInt64BE(BigInt(link), 12);
  return b;
}

export class PeerTransport {
  private readonly addresses = new Map<number, PeerAddress>();
  private readonly election = new Map<number, Socket>();
  private readonly dialing = new Set<number>();
  private readonly links = new Map<number, QuorumLink>();
  private readonly sockets = new Set<Socket>();
  private servers: Server[] = [];
  private stopped = false;
  /** Sockets corked during this turn: a batch's messages leave in as few writes as possible. */
  private readonly corked = new Set<Socket>();

  constructor(
    private readonly opts: PeerTransportOptions,
    private readonly handlers: TransportHandlers,
  ) {
    for (const m of opts.members) this.addresses.set(m.sid, m);
    if (!this.addresses.has(opts.self)) throw new Error(`server ${opts.self} is not in the ensemble configuration`);
  }

  /** Starts listening on my election and quorum ports. */
  async start(): Promise<void> {
    const me = this.addresses.get(this.opts.self)!;
    this.servers = [
      await this.listen(me.electionPort, (s) => this.acceptElection(s)),
      await this.listen(me.quorumPort, (s) => this.acceptQuorum(s)),
    ];
  }

  private listen(port: number, onSocket: (s: Socket) => void): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => {
        if (this.stopped) return void s.destroy();
        this.track(s);
        onSocket(s);
      });
      server.once('error', reject);
      server.listen({ host: this.opts.listenHost, port }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.opts.log.warn(`listener on ${port}: ${e.message}`));
        resolve(server);
      });
    });
  }

  /** Writes a frame, coalescing everything written in this turn into one syscall per socket. */
  private write(s: Socket, frame: Buffer): void {
    if (!this.corked.has(s)) {
      s.cork();
      if (this.corked.size === 0) process.nextTick(() => this.uncorkAll());
      this.corked.add(s);
    }
    s.write(frame);
  }

  private uncorkAll(): void {
    for (const s of this.corked) s.uncork();
    this.corked.clear();
  }

  private track(s: Socket): void {
    s.setNoDelay(true);
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', (e) => this.opts.log.debug(`peer socket: ${e.message}`));
  }

  /** Feeds every frame of `s` to `onFrame`; a malformed frame closes only this connection. */
  private readFrames(s: Socket, what: string, onFrame: (frame: Buffer) => void): void {
    const decoder = new FrameDecoder(MAX_PEER_MESSAGE);
    s.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          if (s.destroyed) return;
          onFrame(frame);
        }
      } catch (e) {
        this.opts.log.warn(`dropping ${what} (${s.remoteAddress}:${s.remotePort}): ${(e as Error).message}`);
        s.destroy();
      }
    });
  }

  /** An accepted connection: the first frame is the dialer's hello, the rest are messages. */
  private accepted(s: Socket, what: string, onHello: (kind: number, sid: number, link: number) => boolean, onMessage: (m: PeerMessage) => void): void {
    let greeted = false;
    const timer = setTimeout(() => {
      if (!greeted) s.destroy(new Error('no handshake in time'));
    }, this.opts.handshakeTimeoutMs);
    timer.unref();
    s.on('close', () => clearTimeout(timer));
    this.readFrames(s, what, (frame) => {
      if (greeted) return onMessage(decodePeerMessage(frame));
      if (frame.length !== 16) throw new Error('bad handshake');
      greeted = true;
      clearTimeout(timer);
      if (!onHello(frame.readInt32BE(0), frame.readInt32BE(4), Number(frame.readBigInt64BE(8)))) s.destroy();
    });
  }

  // ---- election ------------------------------------------------------------------------

  private acceptElection(s: Socket): void {
    let from = -1;
    this.accepted(
      s,
      'an election connection',
      (kind, sid) => {
        if (kind !== HELLO_ELECTION || !this.addresses.has(sid) || sid === this.opts.self) {
          this.opts.log.warn(`refused an election connection claiming server ${sid}`);
          return false;
        }
        if (sid < this.opts.self) {
          // The higher sid's connection wins: drop this one and dial back (zab.md §2.7).
          this.dialElection(sid);
          return false;
        }
        from = sid;
        this.adoptElection(sid, s);
        return true;
      },
      (m) => {
        if (m.type === 'notification' && this.election.get(from) === s) this.handlers.message(from, m);
      },
    );
  }

  private adoptElection(sid: number, s: Socket): void {
    const old = this.election.get(sid);
    if (old && old !== s) old.destroy();
    this.election.set(sid, s);
    s.on('close', () => {
      if (this.election.get(sid) !== s) return;
      this.election.delete(sid);
      if (!this.stopped) this.handlers.peerConnection(sid, false);
    });
    this.handlers.peerConnection(sid, true);
  }

  private dialElection(sid: number): void {
    if (this.stopped || this.dialing.has(sid) || this.election.has(sid)) return;
    const a = this.addresses.get(sid)!;
    this.dialing.add(sid);
    const s = createConnection({ host: a.host, port: a.electionPort });
    this.track(s);
    s.setTimeout(this.opts.connectTimeoutMs, () => s.destroy(new Error('connect timeout')));
    s.once('connect', () => {
      this.dialing.delete(sid);
      s.setTimeout(0);
      s.write(hello(HELLO_ELECTION, this.opts.self));
      if (sid > this.opts.self) {
        // Lower sid: announce myself and let the higher sid dial back.
        s.end();
        return;
      }
      this.adoptElection(sid, s);
      this.readFrames(s, `the election connection to ${sid}`, (frame) => {
        const m = decodePeerMessage(frame);
        if (m.type === 'notification' && this.election.get(sid) === s) this.handlers.message(sid, m);
      });
    });
    s.once('close', () => this.dialing.delete(sid));
  }

  private sendNotification(to: number, frame: Buffer): void {
    const s = this.election.get(to);
    if (s && !s.destroyed) this.write(s, frame);
    else this.dialElection(to);
  }

  // ---- quorum links --------------------------------------------------------------------

  private acceptQuorum(s: Socket): void {
    let link = -1;
    let peer = -1;
    this.accepted(
      s,
      'a quorum connection',
      (kind, sid, linkId) => {
        if (kind !== HELLO_QUORUM || !this.addresses.has(sid) || sid === this.opts.self) return false;
        peer = sid;
        link = linkId;
        const old = this.links.get(link);
        if (old?.socket && old.socket !== s) old.socket.destroy();
        this.links.set(link, { peer, socket: s, backlog: [], closed: false });
        s.on('close', () => this.quorumClosed(link, s));
        return true;
      },
      (m) => {
        if (m.type === 'zab' && m.link === link) this.handlers.message(peer, m);
      },
    );
  }

  private quorumClosed(link: number, s: Socket): void {
    const l = this.links.get(link);
    if (!l || (l.socket !== null && l.socket !== s)) return;
    this.links.delete(link);
    if (!this.stopped && !l.closed) this.handlers.linkClosed(l.peer, link);
  }

  private dialQuorum(peer: number, link: number, first: Buffer): void {
    const l: QuorumLink = { peer, socket: null, backlog: [first], closed: false };
    this.links.set(link, l);
    const a = this.addresses.get(peer)!;
    const attempt = (n: number): void => {
      if (this.stopped || this.links.get(link) !== l) return;
      const s = createConnection({ host: a.host, port: a.quorumPort });
      this.track(s);
      let connected = false;
      s.setTimeout(this.opts.connectTimeoutMs, () => s.destroy(new Error('connect timeout')));
      s.once('connect', () => {
        connected = true;
        s.setTimeout(0);
        l.socket = s;
        s.write(hello(HELLO_QUORUM, this.opts.self, link));
        for (const f of l.backlog) s.write(f);
        l.backlog = [];
        this.readFrames(s, `the quorum connection to ${peer}`, (frame) => {
          const m = decodePeerMessage(frame);
          if (m.type === 'zab' && m.link === link) this.handlers.message(peer, m);
        });
      });
      s.once('close', () => {
        if (connected) return this.quorumClosed(link, s);
        if (n + 1 < LEARNER_DIAL_TRIES && !this.stopped) setTimeout(() => attempt(n + 1), LEARNER_DIAL_GAP_MS).unref();
        else this.quorumClosed(link, s);
      });
    };
    attempt(0);
  }

  private sendZab(to: number, m: Extract<PeerMessage, { type: 'zab' }>, frame: Buffer): void {
    const l = this.links.get(m.link);
    if (!l) {
      // A learner's first packet opens the link; anything else on an unknown link is stale.
      if (m.body.type === 'learnerinfo' && m.seq === 0) this.dialQuorum(to, m.link, frame);
      return;
    }
    if (l.socket) this.write(l.socket, frame);
    else l.backlog.push(frame);
    if (m.body.type === 'close') {
      l.closed = true;
      if (l.socket && this.corked.delete(l.socket)) l.socket.uncork();
      if (l.socket) l.socket.end();
      this.links.delete(m.link);
    }
  }

  /** Sends a message; returns its size on the wire (0 when it was not sent). */
  send(to: number, m: PeerMessage): number {
    if (this.stopped || to === this.opts.self || !this.addresses.has(to)) return 0;
    const frame = encodePeerMessage(m);
    if (m.type === 'notification') this.sendNotification(to, frame);
    else this.sendZab(to, m, frame);
    return frame.length;
  }

  /** Closes every connection and stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
  }
}
