/**
 * A lean load session for the ensemble benchmark: one raw ZooKeeper connection that keeps
 * `depth` requests in flight (pipelining, wire-protocol.md §17) and counts replies. Raw
 * frames, no client library: what it measures is the server, for ZooLab and Apache alike.
 */
import { connect, type Socket } from 'node:net';
import {
  ConnectRequest,
  FrameDecoder,
  GetDataRequest,
  JuteWriter,
  OpCode,
  RequestHeader,
  SetDataRequest,
  CreateRequest,
  SyncRequest,
  finishFrame,
  startFrame,
} from '../../../engine/src/jute/index.js';
import { OPEN_ACL } from '../../../engine/src/tree/data-tree.js';

export type Load = { kind: 'read'; path: string } | { kind: 'write'; path: string; data: Buffer };

function frame(xid: number, op: number, write: (w: JuteWriter) => void): Buffer {
  const w = startFrame();
  RequestHeader.write(w, { xid, type: op });
  write(w);
  return Buffer.from(finishFrame(w));
}

export function requestFrame(load: Load, xid: number): Buffer {
  if (load.kind === 'read') return frame(xid, OpCode.getData, (w) => GetDataRequest.write(w, { path: load.path, watch: false }));
  return frame(xid, OpCode.setData, (w) => SetDataRequest.write(w, { path: load.path, data: load.data, version: -1 }));
}

export function syncFrame(path: string, xid: number): Buffer {
  return frame(xid, OpCode.sync, (w) => SyncRequest.write(w, { path }));
}

export function createFrame(path: string, xid: number): Buffer {
  return frame(xid, OpCode.create, (w) => CreateRequest.write(w, { path, data: Buffer.alloc(100, 0x61), acl: [...OPEN_ACL], flags: 0 }));
}

export class PipelinedSession {
  private socket!: Socket;
  private xid = 1;
  private running = false;
  completed = 0;
  errors = 0;

  private constructor(private readonly host: string, private readonly port: number) {}

  static async open(host: string, port: number): Promise<PipelinedSession> {
    const s = new PipelinedSession(host, port);
    await s.handshake();
    return s;
  }

  private handshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = connect(this.port, this.host);
      this.socket = sock;
      sock.setNoDelay(true);
      sock.once('error', reject);
      sock.once('connect', () => {
        const w = startFrame();
        ConnectRequest.write(w, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30_000, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false });
        sock.write(Buffer.from(finishFrame(w)));
      });
      const decoder = new FrameDecoder(0xfffff + 4096);
      let connected = false;
      sock.on('data', (chunk: Buffer) => {
        for (const f of decoder.push(chunk)) {
          if (!connected) {
            connected = true;
            resolve();
            continue;
          }
          this.onReply(f);
        }
      });
    });
  }

  private onReply(f: Buffer): void {
    const xid = f.readInt32BE(0);
    if (xid < 0) return; // pings, notifications
    if (f.readInt32BE(12) !== 0) this.errors++;
    this.completed++;
    if (this.running) this.send();
  }

  private next: () => Buffer = () => Buffer.alloc(0);

  private send(): void {
    this.socket.write(this.next());
  }

  /** Keeps `depth` requests in flight until `stop()`. */
  start(next: (xid: number) => Buffer, depth: number): void {
    this.next = () => next(this.xid++);
    this.running = true;
    this.socket.cork();
    for (let i = 0; i < depth; i++) this.send();
    this.socket.uncork();
  }

  /** One request, awaited (setup). */
  async once(make: (xid: number) => Buffer): Promise<void> {
    const before = this.completed;
    this.socket.write(make(this.xid++));
    while (this.completed === before) await new Promise((r) => setTimeout(r, 1));
  }

  stop(): void {
    this.running = false;
  }

  close(): void {
    this.socket.destroy();
  }
}
