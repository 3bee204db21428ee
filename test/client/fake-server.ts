/**
 * A scripted in-memory ZooKeeper server for client unit tests. The client's injected
 * socket factory gets one end of an in-memory duplex pair per connection; the test
 * decides, per host, whether the handshake is accepted, refused (closed without a reply,
 * like a server that is behind, §4.2), ignored or answered "expired", and can answer,
 * hold or reorder requests and push notifications. Every frame is recorded.
 */
import { Duplex } from 'node:stream';
import { FrameDecoder, finishFrame, startFrame } from '../../engine/src/jute/framing.js';
import { JuteReader } from '../../engine/src/jute/reader.js';
import {
  ConnectRequest,
  ConnectResponse,
  Create2Response,
  CreateRequest,
  CreateResponse,
  ExistsResponse,
  GetChildrenResponse,
  GetDataResponse,
  ReplyHeader,
  RequestHeader,
  SyncRequest,
  SyncResponse,
  WatcherEvent,
  type Stat,
} from '../../engine/src/jute/records.js';
import { OpCode, Xid } from '../../engine/src/jute/opcodes.js';
import type { HostPort } from '../../engine/src/client/index.js';

export function duplexPair(): [Duplex, Duplex] {
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const p = peer();
        if (!p.destroyed) p.push(chunk);
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
      destroy(err, cb) {
        const p = peer();
        if (!p.destroyed) p.destroy();
        cb(err);
      },
    });
  const a: Duplex = make(() => b);
  const b: Duplex = make(() => a);
  return [a, b];
}

export type Handshake = 'accept' | 'refuse' | 'ignore' | 'expired' | 'read-only';

export interface Request {
  xid: number;
  opcode: number;
  body: Buffer;
}

export class FakeConnection {
  readonly requests: Request[] = [];
  connect: ConnectRequest | null = null;
  closed = false;
  private readonly waiters: Array<{ pred: (r: Request) => boolean; resolve: (r: Request) => void }> = [];

  constructor(
    readonly server: FakeServer,
    readonly target: HostPort,
    private readonly socket: Duplex,
  ) {}

  get host(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  send(frame: Buffer): void {
    if (!this.closed) this.socket.write(frame);
  }

  reply(xid: number, err = 0, body: Buffer | null = null, zxid = 0n): void {
    const w = startFrame();
    ReplyHeader.write(w, { xid, zxid, err });
    if (body) w.raw(body);
    this.send(Buffer.from(finishFrame(w)));
  }

  notify(type: number, path: string): void {
    const w = startFrame();
    ReplyHeader.write(w, { xid: Xid.notification, zxid: -1n, err: 0 });
    WatcherEvent.write(w, { type, state: 3, path });
    this.send(Buffer.from(finishFrame(w)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  onRequest(req: Request): void {
    this.requests.push(req);
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i].pred(req)) {
        const [w] = this.waiters.splice(i, 1);
        w.resolve(req);
        break;
      }
    }
  }

  /** The first recorded request matching `pred`, or the next one to arrive. */
  waitFor(pred: (r: Request) => boolean): Promise<Request> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  /** Requests other than pings. */
  get ops(): Request[] {
    return this.requests.filter((r) => r.opcode !== OpCode.ping);
  }
}

export interface HostBehaviour {
  handshake: Handshake;
  /** What `isro` answers. */
  isro: 'rw' | 'ro';
  /** Answer requests automatically (ok, empty body); false = the test answers. */
  autoReply: boolean;
  /** zxid stamped on automatic replies. */
  zxid: bigint;
  /** Answer nothing at all, not even pings (a hung server). */
  mute: boolean;
}

export const FAKE_STAT: Stat = {
  czxid: 1n,
  mzxid: 1n,
  ctime: 0n,
  mtime: 0n,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  dataLength: 0,
  numChildren: 0,
  pzxid: 1n,
};

/** A plausible success body for an automatic reply. */
function okBody(opcode: number, body: Buffer): Buffer | null {
  switch (opcode) {
    case OpCode.create:
      return CreateResponse.encode({ path: CreateRequest.decode(body).path });
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return Create2Response.encode({ path: CreateRequest.decode(body).path, stat: FAKE_STAT });
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      return ExistsResponse.encode({ stat: FAKE_STAT });
    case OpCode.getData:
      return GetDataResponse.encode({ data: Buffer.alloc(0), stat: FAKE_STAT });
    case OpCode.getChildren:
      return GetChildrenResponse.encode({ children: [] });
    case OpCode.sync:
      return SyncResponse.encode({ path: SyncRequest.decode(body).path });
    default:
      return null;
  }
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];
  readonly probes: string[] = [];
  negotiatedTimeout = 3000;
  sessionId = 0x100000000001n;
  readonly password = Buffer.alloc(16, 7);
  private readonly behaviours = new Map<string, HostBehaviour>();
  private readonly connWaiters: Array<(c: FakeConnection) => void> = [];

  /** Sets how a host behaves (unset hosts accept and auto-reply). */
  host(hostPort: string, b: Partial<HostBehaviour>): void {
    this.behaviours.set(hostPort, { ...this.behaviour(hostPort), ...b });
  }

  behaviour(hostPort: string): HostBehaviour {
    return this.behaviours.get(hostPort) ?? { handshake: 'accept', isro: 'rw', autoReply: true, zxid: 0n, mute: false };
  }

  /** The socket factory to hand the client. */
  readonly socketFactory = (target: HostPort): Duplex => {
    const [client, server] = duplexPair();
    const conn = new FakeConnection(this, target, server);
    const decoder = new FrameDecoder(16 * 1024 * 1024);
    let first = true;
    server.on('data', (chunk: Buffer) => {
      if (first && chunk.subarray(0, 4).toString('latin1') === 'isro') {
        this.probes.push(conn.host);
        server.end(this.behaviour(conn.host).isro);
        return;
      }
      if (first) {
        this.connections.push(conn);
        for (const w of this.connWaiters.splice(0)) w(conn);
      }
      first = false;
      for (const frame of decoder.push(chunk)) this.onFrame(conn, frame);
    });
    server.on('close', () => {
      conn.closed = true;
    });
    return client;
  };

  /** Resolves with the next connection (or the n-th overall). */
  nextConnection(index = this.connections.length): Promise<FakeConnection> {
    if (this.connections[index]) return Promise.resolve(this.connections[index]);
    return new Promise((resolve) => {
      const check = () => {
        if (this.connections[index]) resolve(this.connections[index]);
        else this.connWaiters.push(check);
      };
      this.connWaiters.push(check);
    });
  }

  private onFrame(conn: FakeConnection, frame: Buffer): void {
    const b = this.behaviour(conn.host);
    if (!conn.connect) {
      conn.connect = ConnectRequest.decode(frame);
      switch (b.handshake) {
        case 'refuse':
          conn.close();
          return;
        case 'ignore':
          return;
        case 'expired':
          conn.send(connectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false }));
          conn.close();
          return;
        default: {
          const id = conn.connect.sessionId !== 0n ? conn.connect.sessionId : this.sessionId++;
          conn.send(
            connectResponse({
              protocolVersion: 0,
              timeOut: this.negotiatedTimeout,
              sessionId: id,
              passwd: this.password,
              readOnly: b.handshake === 'read-only',
            }),
          );
          return;
        }
      }
    }
    const r = new JuteReader(frame);
    const h = RequestHeader.read(r);
    const req = { xid: h.xid, opcode: h.type, body: frame.subarray(8) };
    conn.onRequest(req);
    if (b.mute) return;
    if (h.type === OpCode.ping) conn.reply(Xid.ping, 0, null, b.zxid);
    else if (!b.autoReply) return;
    else if (h.type === OpCode.auth) conn.reply(Xid.auth, 0, null, 0n);
    else conn.reply(h.xid, 0, okBody(h.type, req.body), b.zxid);
  }
}

function connectResponse(r: ConnectResponse): Buffer {
  const w = startFrame();
  ConnectResponse.write(w, r);
  return Buffer.from(finishFrame(w));
}
