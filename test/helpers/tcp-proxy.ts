/**
 * A loopback TCP proxy for tests: forwards every connection to a target port and can break
 * the path the way networks do, so clients must survive disconnects, moves and expiries:
 *
 *   - `cut()` / `dropAll()`: destroy every open connection (a blip; new ones are accepted);
 *   - `reject()`: cut, then close new connections at once until `forward()` (a server down);
 *     `setBlocked(true)` closes new connections without cutting the open ones;
 *   - `blackhole()`: keep connections open but pass nothing either way (a partition);
 *   - `transformServerFrame`: rewrite server→client frames (4-byte length + payload,
 *     wire-protocol.md §1) to simulate a server that answers differently;
 *   - `waitForClientFrame(pred)`: resolve when the client sends a matching frame, so a test
 *     can wait for "the client sent a ping" instead of sleeping.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../engine/src/jute/framing.js';

export type ProxyMode = 'forward' | 'reject' | 'blackhole';

export interface TcpProxyOptions {
  /**
   * Rewrites one server→client frame payload. `index` counts frames on that connection
   * (0 is the ConnectResponse). Return the new payload, or null to pass it unchanged.
   */
  transformServerFrame?: (payload: Buffer, index: number) => Buffer | null;
}

interface Pair {
  client: Socket;
  server: Socket;
}

/** Frames larger than this are not ours (e.g. a four-letter word): decoding stops for that connection. */
const MAX_DECODED_FRAME = 0x7fffffff;

export class TcpProxy {
  mode: ProxyMode = 'forward';
  /** Connections accepted so far (including refused ones). */
  accepted = 0;
  private readonly pairs = new Set<Pair>();
  private readonly frameWaiters: Array<{ pred: (frame: Buffer) => boolean; resolve: () => void }> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly target: { host: string; port: number },
    private readonly options: TcpProxyOptions,
  ) {}

  static async start(target: { host: string; port: number }, options: TcpProxyOptions = {}): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    proxy = new TcpProxy(server, port, target, options);
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections currently open through the proxy. */
  get active(): number {
    return this.pairs.size;
  }

  /** Resolves when the client sends a frame (payload without length) matching `pred`. */
  waitForClientFrame(pred: (frame: Buffer) => boolean): Promise<void> {
    return new Promise((resolve) => this.frameWaiters.push({ pred, resolve }));
  }

  /** Drops every open connection (the client sees the server go away). */
  cut(): void {
    for (const p of [...this.pairs]) {
      this.pairs.delete(p);
      p.client.destroy();
      p.server.destroy();
    }
  }

  /** The same as `cut()`. */
  dropAll(): void {
    this.cut();
  }

  /** Cuts and refuses new connections until forward() (a server that is down). */
  reject(): void {
    this.mode = 'reject';
    this.cut();
  }

  /** While blocked, new connections are closed at once; open ones are left alone (pair with `dropAll`). */
  setBlocked(blocked: boolean): void {
    this.mode = blocked ? 'reject' : 'forward';
  }

  /** Keeps connections open but passes nothing (a network partition). */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  forward(): void {
    this.mode = 'forward';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    client.on('error', () => {});
    if (this.mode === 'reject') {
      client.destroy();
      return;
    }
    const server = connect(this.target.port, this.target.host);
    server.on('error', () => {});
    const pair = { client, server };
    this.pairs.add(pair);
    const drop = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      server.destroy();
    };
    let clientFrames: FrameDecoder | null = new FrameDecoder(MAX_DECODED_FRAME);
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      // Decoded from the first byte on (frames must stay aligned), whether or not anyone waits yet.
      if (clientFrames) {
        try {
          for (const frame of clientFrames.push(chunk)) this.onClientFrame(frame);
        } catch {
          clientFrames = null; // not a length-prefixed stream (a four-letter word)
        }
      }
      server.write(chunk);
    });
    const transform = this.options.transformServerFrame;
    const serverFrames = transform ? new FrameDecoder(MAX_DECODED_FRAME) : null;
    let index = 0;
    server.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      if (!transform || !serverFrames) return void client.write(chunk);
      for (const payload of serverFrames.push(chunk)) {
        const out = transform(payload, index++) ?? payload;
        const len = Buffer.alloc(4);
        len.writeInt32BE(out.length);
        client.write(Buffer.concat([len, out]));
      }
    });
    client.on('close', drop);
    server.on('close', drop);
  }

  private onClientFrame(frame: Buffer): void {
    for (let i = this.frameWaiters.length - 1; i >= 0; i--) {
      const w = this.frameWaiters[i]!;
      if (w.pred(frame)) {
        this.frameWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}

/** Starts a proxy to `targetPort` on `host` (the form the compat and cluster tests use). */
export function startTcpProxy(targetPort: number, options: TcpProxyOptions = {}, host = '127.0.0.1'): Promise<TcpProxy> {
  return TcpProxy.start({ host, port: targetPort }, options);
}

/** The xid of a request frame (after the handshake), e.g. -2 for a ping. */
export function frameXid(frame: Buffer): number {
  return frame.length >= 8 ? frame.readInt32BE(0) : NaN;
}

export function frameOpcode(frame: Buffer): number {
  return frame.length >= 8 ? frame.readInt32BE(4) : NaN;
}
