/**
 * A small TCP proxy for client tests: it forwards a loopback port to a server and can
 * cut, refuse or silently swallow connections, to force the disconnects, moves and
 * expiries the client must survive. It also decodes the client's frames so a test can
 * wait for "the client sent a ping" instead of sleeping.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../engine/src/jute/framing.js';

export type ProxyMode = 'forward' | 'reject' | 'blackhole';

interface Pair {
  client: Socket;
  server: Socket;
}

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
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    proxy = new TcpProxy(server, port, target);
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections currently open through the proxy. */
  get active(): number {
    return this.pairs.size;
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
    const decoder = new FrameDecoder(16 * 1024 * 1024);
    const drop = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      server.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      for (const frame of decoder.push(chunk)) this.onClientFrame(frame);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      client.write(chunk);
    });
    client.on('close', drop);
    server.on('close', drop);
  }

  private onClientFrame(frame: Buffer): void {
    for (let i = this.frameWaiters.length - 1; i >= 0; i--) {
      const w = this.frameWaiters[i];
      if (w.pred(frame)) {
        this.frameWaiters.splice(i, 1);
        w.resolve();
      }
    }
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

  /** Cuts and refuses new connections until forward() (a server that is down). */
  reject(): void {
    this.mode = 'reject';
    this.cut();
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
}

/** The xid of a request frame (after the handshake), e.g. -2 for a ping. */
export function frameXid(frame: Buffer): number {
  return frame.length >= 8 ? frame.readInt32BE(0) : NaN;
}

export function frameOpcode(frame: Buffer): number {
  return frame.length >= 8 ? frame.readInt32BE(4) : NaN;
}
